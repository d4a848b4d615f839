"""Bring one dataset's table in line with its folder ``raw/<dataset>/``.

New and changed files are validated and loaded, unchanged ones skipped,
removed ones unloaded. An invalid file is rejected and reported; the rows of
its last good version stay until it is fixed. Files being ingested are
validated first and stored under ``raw/`` only when accepted.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion.datasets import get_dataset
from ingestion.home import Home
from ingestion.ingest_order import IngestOrder
from ingestion.load import HOOKS, LoadRecord, Release, load_rows, record_rejection, remove_file
from ingestion.normalize.countries import resolve_one
from ingestion.prepare import PreparedFile, file_sha256, prepare_file
from ingestion.prepare_source import PreparedSource, options_json, prepare_source
from ingestion.problems import Problem, problems_to_csv
from ingestion.readers import SUFFIXES
from ingestion.source_store import read_manifest, record_release, source_dir, stored_name, stored_releases
from ingestion.sources import get_source
from ingestion.sources.base import SourceOptions
from ingestion.validation.gate import CheckOutcome

Progress = Callable[[str], None]


@dataclass
class SyncReport:
    """What a sync did to each file of one dataset."""

    dataset: str
    records: list[LoadRecord] = field(default_factory=list)
    #: the suite's outcomes on the exact rows committed for each loaded file.
    validated: dict[str, list[CheckOutcome]] = field(default_factory=dict)

    def by_outcome(self, outcome: str) -> list[LoadRecord]:
        """Records with the given outcome."""
        return [r for r in self.records if r.outcome == outcome]

    @property
    def rejected(self) -> list[LoadRecord]:
        """Files rejected in this sync."""
        return self.by_outcome("rejected")


def dataset_files(home: Home, dataset: str) -> list[Path]:
    """Extract files stored for ``dataset``, by path."""
    folder = home.dataset_dir(dataset)
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUFFIXES
    )


_PREPARED: dict[tuple[str, str, str], PreparedFile] = {}
_PREPARED_LIMIT = 4


@dataclass(frozen=True)
class IncomingSource:
    """A publisher file to ingest: its path, format and the options it is mapped with."""

    path: Path
    source: str
    options: SourceOptions = field(default_factory=SourceOptions)
    strict: bool = False


def _cache_key(path: Path, kind: str) -> tuple[str, int, int, str]:
    """The file as it is on disk (path, size, modification time) and how it is read: no second hash of big files."""
    stat = path.stat()
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns, kind)


def _source_kind(source: str, options: SourceOptions, strict: bool) -> str:
    return f"source:{source}:{options_json(options)}:{strict}"


def remember_prepared(prepared: PreparedFile, *, strict: bool = False) -> None:
    """Keep a file validated by the CLI so the run that loads it need not validate it again."""
    while len(_PREPARED) >= _PREPARED_LIMIT:
        _PREPARED.pop(next(iter(_PREPARED)))
    kind = (_source_kind(prepared.source, prepared.options, strict) if isinstance(prepared, PreparedSource)
            else prepared.dataset.name)
    _PREPARED[_cache_key(prepared.path, kind)] = prepared


def prepare_cached(path: Path, dataset_name: str, *, home: Home, name: str, sha256: str | None = None) -> PreparedFile:
    """The file's validation: remembered if this process already validated these bytes, else run now."""
    cached = _PREPARED.pop(_cache_key(path, dataset_name), None)
    if cached is not None and sha256 in (None, cached.sha256):
        return cached
    return prepare_file(path, get_dataset(dataset_name), name=name, sha256=sha256 or file_sha256(path),
                        gx_dir=home.gx)


def prepare_source_cached(path: Path, source: str, options: SourceOptions, *, home: Home, name: str,
                          sha256: str | None = None, strict: bool = False) -> PreparedSource:
    """A publisher file's mapping and validation: remembered if this process already did it, else run now."""
    cached = _PREPARED.pop(_cache_key(path, _source_kind(source, options, strict)), None)
    if isinstance(cached, PreparedSource) and sha256 in (None, cached.sha256):
        return cached
    return prepare_source(path, source, options, name=name, sha256=sha256 or file_sha256(path), gx_dir=home.gx,
                          strict=strict)


def intended_name(home: Home, prepared: PreparedFile) -> str:
    """Where a file is (or would be) stored under the home: ``raw/<dataset>/...`` or ``raw/sources/<source>/...``."""
    if isinstance(prepared, PreparedSource):
        name = stored_name(prepared.path.name, prepared.sha256, prepared.options.as_of)
        return f"{home.relative(source_dir(home, prepared.source))}/{name}"
    return f"raw/{prepared.dataset.name}/{prepared.path.name}"


def quarantine(home: Home, prepared: PreparedFile) -> Path:
    """Copy a rejected file to ``quarantine/<dataset>/`` beside ``<file>.errors.csv``; return the copy."""
    folder = home.quarantine / prepared.dataset.name
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{stamp}_{prepared.path.name}"
    if prepared.path.exists():
        shutil.copyfile(prepared.path, target)
    target.with_name(target.name + ".errors.csv").write_text(problems_to_csv(prepared.problems), encoding="utf-8")
    return target


def store_release(home: Home, prepared: PreparedSource, path: Path) -> Path:
    """Store a mapped publisher file byte for byte under ``raw/sources/<source>/`` with its options; its path."""
    target = source_dir(home, prepared.source) / stored_name(path.name, prepared.sha256, prepared.options.as_of)
    if path.resolve() != target.resolve():
        store_file(path, target)
    record_release(home, prepared.source, target.name, prepared.sha256, prepared.options)
    return target


def store_file(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` atomically: a crash leaves the old file or the new, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    with partial.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)


def sync_dataset(con: duckdb.DuckDBPyConnection, home: Home, dataset_name: str, *, run_id: str | None,
                 incoming: Iterable[Path] = (), incoming_sources: Iterable[IncomingSource] = (),
                 progress: Progress | None = None) -> SyncReport:
    """Validate and store incoming files, then load every new or changed file of the dataset.

    The dataset's files are its extracts (``raw/<dataset>/``) and the publisher files of its
    formats (``raw/sources/<source>/``), loaded in their recorded ingestion order.
    """
    dataset = get_dataset(dataset_name)
    say = progress or (lambda _msg: None)
    report = SyncReport(dataset_name)
    order = IngestOrder.read(home.raw)
    prepared: dict[str, PreparedFile] = {}

    def reject(candidate: PreparedFile, source_file: str) -> None:
        quarantine(home, candidate)
        report.records.append(record_rejection(
            con, dataset_name, source_file=source_file, sha256=candidate.sha256,
            problems=candidate.problems, run_id=run_id,
        ))

    for path in incoming:
        target = home.dataset_dir(dataset_name) / path.name
        say(f"{dataset_name}: validating {path}")
        candidate = prepare_cached(path, dataset_name, home=home, name=str(path))
        if path.resolve() == target.resolve():
            prepared[home.relative(target)] = candidate
            continue
        _refuse_if_conflicting(con, dataset_name, candidate, home.relative(target.parent) + "/" + target.name)
        if not candidate.accepted:
            reject(candidate, f"raw/{dataset_name}/{path.name}")
            continue
        store_file(path, target)
        order.record(home.relative(target), candidate.sha256)
        prepared[home.relative(target)] = candidate

    for item in incoming_sources:
        say(f"{dataset_name}: mapping {item.path} as {item.source}")
        candidate = prepare_source_cached(item.path, item.source, item.options, home=home, name=str(item.path),
                                          strict=item.strict)
        target = source_dir(home, item.source) / stored_name(item.path.name, candidate.sha256, item.options.as_of)
        if not candidate.accepted:
            reject(candidate, intended_name(home, candidate))
            continue
        twin = _stored_twin(home, item.source, candidate.sha256, item.options)
        if twin is not None and twin != target:
            say(f"{dataset_name}: {item.path} is the release already stored as {home.relative(twin)}: nothing to do")
            continue
        _refuse_if_conflicting(con, dataset_name, candidate, intended_name(home, candidate))
        if not candidate.accepted:
            reject(candidate, intended_name(home, candidate))
            continue
        store_release(home, candidate, item.path)
        order.record(home.relative(target), candidate.sha256)
        prepared[home.relative(target)] = candidate

    registry = dict(con.execute(
        "SELECT source_file, source_sha256 FROM meta.file_registry WHERE dataset = ?", [dataset_name]
    ).fetchall())
    on_disk = {home.relative(p): p for p in dataset_files(home, dataset_name)}
    releases = {home.relative(r.path): r for r in stored_releases(home, dataset_name)}
    on_disk.update({name: r.path for name, r in releases.items()})
    shas = {name: (prepared[name].sha256 if name in prepared else file_sha256(p)) for name, p in on_disk.items()}
    for name in sorted(on_disk, key=lambda n: (order.seq_of(n) is None, order.seq_of(n) or 0, n)):
        order.record(name, shas[name])
    order.write()

    for name in sorted(on_disk, key=lambda n: order.seq_of(n) or 0):
        sha = shas[name]
        if registry.get(name) == sha:
            report.records.append(LoadRecord(name, dataset_name, "unchanged", sha256=sha))
            continue
        candidate = prepared.get(name)
        if candidate is None and name in releases:
            release = releases[name]
            candidate = prepare_source_cached(release.path, release.source, release.options, home=home, name=name,
                                              sha256=sha)
        elif candidate is None:
            candidate = prepare_cached(on_disk[name], dataset_name, home=home, name=name, sha256=sha)
        _refuse_if_conflicting(con, dataset_name, candidate, name)
        if not candidate.accepted:
            say(f"{dataset_name}: rejected {name} ({len(candidate.problems)} problems)")
            reject(candidate, name)
            continue
        assert candidate.rows is not None
        say(f"{dataset_name}: loading {name} ({candidate.rows.height} rows)")
        report.records.append(load_rows(
            con, dataset, candidate.rows, source_file=name, sha256=sha,
            ingest_seq=order.seq_of(name) or 0, run_id=run_id, **_release_arguments(candidate),
        ))
        report.validated[name] = candidate.outcomes

    for name in sorted(set(registry) - set(on_disk)):
        say(f"{dataset_name}: removing rows of {name} (file no longer under raw/)")
        report.records.append(remove_file(con, dataset_name, source_file=name, run_id=run_id))
    return report


def _stored_twin(home: Home, source: str, sha256: str, options: SourceOptions) -> Path | None:
    """A release of ``source`` already stored with the same bytes and options, if any."""
    for name, entry in read_manifest(home, source).items():
        if entry["sha256"] == sha256 and options.as_dict() == {k: entry.get(k, "") for k in options.as_dict()}:
            return source_dir(home, source) / name
    return None


def _refuse_if_conflicting(con: duckdb.DuckDBPyConnection, dataset: str, candidate: PreparedFile,
                           name: str) -> None:
    """Turn an accepted file into a rejected one when what is loaded refuses it (e.g. a second file for a snapshot)."""
    refusal = _refusal(con, dataset, candidate, name)
    if refusal is not None:
        candidate.problems = [Problem(str(candidate.path), None, None, None, "already_loaded", refusal)]
        candidate.rows = None


def _refusal(con: duckdb.DuckDBPyConnection, dataset: str, candidate: PreparedFile, name: str) -> str | None:
    """Why an accepted file still cannot load given what is loaded (e.g. a second file for one snapshot)."""
    hooks = HOOKS.get(dataset)
    if hooks is None or hooks.refuse is None or candidate.rows is None or not candidate.accepted:
        return None
    return hooks.refuse(con, candidate.rows, name)


def _release_arguments(candidate: PreparedFile) -> dict:
    """What :func:`load_rows` needs besides the rows for a publisher file: side tables, release, skipped rows."""
    if not isinstance(candidate, PreparedSource):
        return {}
    fmt = get_source(candidate.source)
    importer = candidate.options.importer
    key = ""
    if "importer" in fmt.release_key and importer:
        resolved = resolve_one(importer)
        key = resolved or importer
    return {
        "side": {get_dataset(name): rows for name, rows in candidate.side.items()},
        "release": Release(source=candidate.source, release_key=key, as_of=candidate.options.as_of,
                           options=options_json(candidate.options), rows_skipped=len(candidate.skipped),
                           release=candidate.options.release, origin=candidate.options.origin,
                           data_from=candidate.data_from, data_to=candidate.data_to),
        "skipped": candidate.skipped,
    }
