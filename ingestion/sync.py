"""Bring one dataset's table in line with its files under ``raw/``.

Two steps. :func:`plan_sync` decides, from the files on disk, the file registry and the ingestion
order alone (pure, no warehouse): load each new or changed file in ingestion order, skip the
unchanged ones, unload the ones gone. :func:`sync_dataset` carries it out: it first takes in the
files being ingested (validated, or their validation handed over by the command that did it,
and stored under ``raw/`` only when accepted), lists the dataset's files, rejects what cannot be
loaded (an odd entry under ``raw/``, the same bytes as another file, a file its hooks refuse),
then applies the plan, one transaction per file. An invalid file is rejected and reported; the
rows of its last good version stay until it is fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from ingestion import prepared_store
from ingestion.datasets import get_dataset
from ingestion.home import Home
from ingestion.ingest_order import IngestOrder
from ingestion.load import HOOKS, LoadRecord, Release, load_rows, record_rejection, remove_file
from ingestion.normalize.countries import resolve_one
from ingestion.prepare import PreparedFile, prepare_file
from ingestion.prepare_source import options_json, prepare_source
from ingestion.problems import Problem
from ingestion.raw_files import OddEntry, file_sha256, list_folder
from ingestion.source_store import read_manifest, source_dir, stored_releases
from ingestion.sources import get_source, source_formats
from ingestion.sources.base import SourceOptions
from ingestion.store import quarantine, store, stored_as, stored_path
from ingestion.validation.expectations import CheckOutcome

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Incoming:
    """A file to ingest: an extract (``source`` None) or a publisher's file with its format and options."""

    path: Path
    source: str | None = None
    options: SourceOptions = field(default_factory=SourceOptions)
    strict: bool = False


@dataclass(frozen=True)
class Action:
    """What to do with one file of a dataset."""

    kind: Literal["load", "unchanged", "remove"]
    name: str


@dataclass
class SyncReport:
    """What a sync did to each file of one dataset."""

    dataset: str
    records: list[LoadRecord] = field(default_factory=list)
    #: the suite's outcomes on the exact rows committed for each loaded file.
    validated: dict[str, list[CheckOutcome]] = field(default_factory=dict)
    #: what the sync put right and a user must hear about (e.g. a lost ingestion order restored).
    warnings: list[str] = field(default_factory=list)

    def by_outcome(self, outcome: str) -> list[LoadRecord]:
        """Records with the given outcome."""
        return [r for r in self.records if r.outcome == outcome]

    @property
    def rejected(self) -> list[LoadRecord]:
        """Files rejected in this sync."""
        return self.by_outcome("rejected")

    @property
    def changed(self) -> bool:
        """True when the sync loaded or removed anything (the warehouse's rows changed)."""
        return any(r.outcome in ("loaded", "removed") for r in self.records)


def plan_sync(on_disk: dict[str, str], registry: dict[str, str], order: dict[str, int]) -> list[Action]:
    """Loads of new or changed files (in ingestion order, then path), the unchanged files, removals of gone ones.

    ``on_disk`` and ``registry`` map a file (its path relative to the home) to its SHA-256 on disk and
    as loaded; ``order`` gives each file's place in the ingestion order.
    """
    actions = [
        Action("unchanged" if registry.get(name) == sha else "load", name)
        for name, sha in sorted(on_disk.items(), key=lambda item: (order.get(item[0], 0), item[0]))
    ]
    return actions + [Action("remove", name) for name in sorted(set(registry) - set(on_disk))]


def prepare(path: Path, dataset: str, *, home: Home, name: str, source: str | None = None,
            options: SourceOptions | None = None, strict: bool = False) -> PreparedFile:
    """The file's validation: handed over by the command that validated these bytes, else run now."""
    options = options or SourceOptions()
    kind = dataset if source is None else prepared_store.source_kind(source, options, strict)
    hooks = HOOKS.get(dataset)
    # the rows stay on disk for the load to read, unless a hook must look at them before (e.g. a snapshot's date)
    needs_rows = hooks is not None and hooks.refuse is not None
    handed = prepared_store.load(home.prepared, path, kind, read_rows=needs_rows)
    if handed is not None:
        return handed
    if source is None:
        return prepare_file(path, get_dataset(dataset), name=name, spill=None if needs_rows else home.prepared)
    return prepare_source(path, source, options, name=name, strict=strict)


def dataset_inputs(home: Home, dataset: str) -> tuple[dict[str, tuple[Path, str | None, SourceOptions]],
                                                      list[OddEntry]]:
    """The dataset's stored files (extracts, and releases of its formats with their options) and odd entries."""
    files, odd = list_folder(home.dataset_dir(dataset), home.root)
    inputs = {home.relative(p): (p, None, SourceOptions()) for p in files}
    for fmt in source_formats().values():
        if fmt.dataset == dataset:
            odd.extend(list_folder(source_dir(home, fmt.name), home.root, suffixes=None)[1])
    for release in stored_releases(home, dataset):
        inputs[home.relative(release.path)] = (release.path, release.source, release.options)
    return inputs, odd


def sync_dataset(con: duckdb.DuckDBPyConnection, home: Home, dataset_name: str, *, run_id: str | None,
                 incoming: Iterable[Incoming] = (), progress: Progress | None = None) -> SyncReport:
    """Take in ``incoming`` files, then load every new or changed file of the dataset and unload gone ones.

    The dataset's files are its extracts (``raw/<dataset>/``) and the publisher files of its
    formats (``raw/sources/<source>/``), loaded in their recorded ingestion order.
    """
    say = progress or (lambda _msg: None)
    report = SyncReport(dataset_name)
    order = IngestOrder.read(home.raw)
    loaded = {name: (seq, sha) for name, seq, sha in con.execute(
        "SELECT source_file, ingest_seq, source_sha256 FROM meta.file_registry WHERE dataset = ?", [dataset_name]
    ).fetchall()}
    for warning in order.reconcile(loaded):
        say(f"{dataset_name}: {warning}")
        report.warnings.append(warning)
    taken: dict[str, PreparedFile] = {}

    def reject(candidate: PreparedFile, source_file: str) -> None:
        quarantine(home, candidate)
        report.records.append(record_rejection(con, dataset_name, source_file=source_file, sha256=candidate.sha256,
                                               problems=candidate.problems, run_id=run_id))

    for item in incoming:
        say(f"{dataset_name}: validating {item.path}" + (f" as {item.source}" if item.source else ""))
        candidate = prepare(item.path, dataset_name, home=home, name=str(item.path), source=item.source,
                            options=item.options, strict=item.strict)
        name = stored_as(home, candidate)
        if candidate.accepted:
            twin = _stored_twin(home, candidate)
            if twin is not None and twin != name:
                say(f"{dataset_name}: {item.path} is the release already stored as {twin}: nothing to do")
                continue
            _refuse_if_conflicting(con, dataset_name, candidate, name)
        if not candidate.accepted:
            reject(candidate, name)
            continue
        if stored_path(home, candidate).resolve() != item.path.resolve():
            store(home, candidate)
        order.record(name, candidate.sha256)
        taken[name] = candidate

    inputs, odd = dataset_inputs(home, dataset_name)
    for entry in odd:
        say(f"{dataset_name}: rejected {entry.path} ({entry.reason})")
        report.records.append(record_rejection(
            con, dataset_name, source_file=entry.path, sha256=None, run_id=run_id,
            problems=[Problem(entry.path, None, None, None, "raw_entry", entry.reason)]))
    shas: dict[str, str] = {}
    for name, (path, _, _) in inputs.items():
        try:
            shas[name] = taken[name].sha256 if name in taken else file_sha256(path)
        except OSError as exc:
            reason = ("it disappeared while it was being read" if isinstance(exc, FileNotFoundError)
                      else f"it cannot be read ({exc.strerror or exc})")
            report.records.append(record_rejection(con, dataset_name, source_file=name, sha256=None, run_id=run_id,
                                                   problems=[Problem(name, None, None, None, "raw_entry", reason)]))
    for name in sorted(shas, key=lambda n: (order.seq_of(n) is None, order.seq_of(n) or 0, n)):
        order.record(name, shas[name])
    order.write()

    registry = {name: sha for name, (_, sha) in loaded.items()}
    seq = {name: order.seq_of(name) or 0 for name in shas}
    for action in plan_sync(shas, registry, seq):
        if action.kind == "unchanged":
            report.records.append(LoadRecord(action.name, dataset_name, "unchanged", sha256=shas[action.name]))
        elif action.kind == "remove":
            say(f"{dataset_name}: removing rows of {action.name} (file no longer under raw/)")
            report.records.append(remove_file(con, dataset_name, source_file=action.name, run_id=run_id))
        else:
            _load(con, home, dataset_name, action.name, inputs[action.name], shas, seq, taken, report, run_id, say,
                  reject)
    return report


def _load(con: duckdb.DuckDBPyConnection, home: Home, dataset_name: str, name: str,
          stored: tuple[Path, str | None, SourceOptions], shas: dict[str, str], seq: dict[str, int],
          taken: dict[str, PreparedFile], report: SyncReport, run_id: str | None, say: Progress,
          reject: Callable[[PreparedFile, str], None]) -> None:
    """Validate (or take the handed-over validation of) one file and load it, or reject it."""
    path, source, options = stored
    candidate = taken.get(name) or prepare(path, dataset_name, home=home, name=name, source=source,
                                          options=options)
    copy = _same_bytes_as(name, shas, seq)
    if candidate.accepted and copy is not None:
        candidate.refuse(Problem(name, None, None, None, "same_bytes",
                                 f"the same bytes as {copy}, which is loaded: a copy under another name would "
                                 f"count its rows twice; remove one of the two files"))
    _refuse_if_conflicting(con, dataset_name, candidate, name)
    if not candidate.accepted:
        say(f"{dataset_name}: rejected {name} ({len(candidate.problems)} problems)")
        reject(candidate, name)
        return
    rows = candidate.rows if candidate.rows is not None else candidate.rows_dir
    assert rows is not None
    say(f"{dataset_name}: loading {name} ({candidate.row_count} rows)")
    report.records.append(load_rows(con, candidate.dataset, rows, source_file=name, sha256=shas[name],
                                    ingest_seq=seq[name], run_id=run_id, **_release_arguments(candidate)))
    report.validated[name] = candidate.outcomes


def _same_bytes_as(name: str, shas: dict[str, str], seq: dict[str, int]) -> str | None:
    """Another file of the dataset with the same bytes, earlier in the ingestion order (None if none)."""
    earlier = [other for other, sha in shas.items()
               if other != name and sha == shas[name] and (seq[other], other) < (seq[name], name)]
    return min(earlier, key=lambda other: (seq[other], other)) if earlier else None


def _stored_twin(home: Home, candidate: PreparedFile) -> str | None:
    """A release of the candidate's source already stored with the same bytes and options, if any."""
    if not candidate.is_release:
        return None
    wanted = candidate.options.as_dict()
    for file_name, entry in read_manifest(home, candidate.source).items():
        if entry["sha256"] == candidate.sha256 and wanted == {k: entry.get(k, "") for k in wanted}:
            return home.relative(source_dir(home, candidate.source) / file_name)
    return None


def _refuse_if_conflicting(con: duckdb.DuckDBPyConnection, dataset: str, candidate: PreparedFile,
                           name: str) -> None:
    """Turn an accepted file into a rejected one when what is loaded refuses it (e.g. a second file for a snapshot)."""
    refusal = _refusal(con, dataset, candidate, name)
    if refusal is not None:
        candidate.refuse(Problem(str(candidate.path), None, None, None, "already_loaded", refusal))


def _refusal(con: duckdb.DuckDBPyConnection, dataset: str, candidate: PreparedFile, name: str) -> str | None:
    """Why an accepted file still cannot load given what is loaded (e.g. a second file for one snapshot)."""
    hooks = HOOKS.get(dataset)
    if hooks is None or hooks.refuse is None or candidate.rows is None or not candidate.accepted:
        return None
    return hooks.refuse(con, candidate.rows, name)


def release_key(source: str, options: SourceOptions) -> str:
    """What keeps a source's releases apart (``meta.source_releases.release_key``): e.g. the importer's code."""
    importer = options.importer
    if "importer" in get_source(source).release_key and importer:
        return resolve_one(importer) or importer
    return ""


def _release_arguments(candidate: PreparedFile) -> dict:
    """What :func:`load_rows` needs besides the rows for a publisher file: side tables, release, skipped rows."""
    if not candidate.is_release:
        return {}
    key = release_key(candidate.source, candidate.options)
    return {
        "side": {get_dataset(name): rows for name, rows in candidate.side.items()},
        "release": Release(source=candidate.source, release_key=key, as_of=candidate.options.as_of,
                           options=options_json(candidate.options), rows_skipped=len(candidate.skipped),
                           release=candidate.options.release, origin=candidate.options.origin,
                           data_from=candidate.data_from, data_to=candidate.data_to),
        "skipped": candidate.skipped,
    }
