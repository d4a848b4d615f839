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
from ingestion.load import LoadRecord, load_rows, record_rejection, remove_file
from ingestion.prepare import PreparedFile, file_sha256, prepare_file
from ingestion.problems import problems_to_csv
from ingestion.readers import SUFFIXES

Progress = Callable[[str], None]


@dataclass
class SyncReport:
    """What a sync did to each file of one dataset."""

    dataset: str
    records: list[LoadRecord] = field(default_factory=list)

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


def remember_prepared(prepared: PreparedFile) -> None:
    """Keep a file validated by the CLI so the run that loads it need not validate it again."""
    while len(_PREPARED) >= _PREPARED_LIMIT:
        _PREPARED.pop(next(iter(_PREPARED)))
    _PREPARED[(str(prepared.path.resolve()), prepared.sha256, prepared.dataset.name)] = prepared


def prepare_cached(path: Path, dataset_name: str, *, home: Home, name: str, sha256: str | None = None) -> PreparedFile:
    """The file's validation: remembered if this process already validated these bytes, else run now."""
    digest = sha256 or file_sha256(path)
    cached = _PREPARED.pop((str(path.resolve()), digest, dataset_name), None)
    if cached is not None:
        return cached
    return prepare_file(path, get_dataset(dataset_name), name=name, sha256=digest, gx_dir=home.gx)


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


def store_file(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` atomically: a crash leaves the old file or the new, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    with partial.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)


def sync_dataset(con: duckdb.DuckDBPyConnection, home: Home, dataset_name: str, *, run_id: str | None,
                 incoming: Iterable[Path] = (), progress: Progress | None = None) -> SyncReport:
    """Validate and store ``incoming`` files, then load every new or changed file of the dataset."""
    dataset = get_dataset(dataset_name)
    say = progress or (lambda _msg: None)
    report = SyncReport(dataset_name)
    order = IngestOrder.read(home.raw)
    prepared: dict[str, PreparedFile] = {}

    for path in incoming:
        target = home.dataset_dir(dataset_name) / path.name
        source_file = f"raw/{dataset_name}/{path.name}"
        say(f"{dataset_name}: validating {path}")
        candidate = prepare_cached(path, dataset_name, home=home, name=str(path))
        if path.resolve() == target.resolve():
            prepared[home.relative(target)] = candidate
            continue
        if not candidate.accepted:
            quarantine(home, candidate)
            report.records.append(record_rejection(
                con, dataset_name, source_file=source_file, sha256=candidate.sha256,
                problems=candidate.problems, run_id=run_id,
            ))
            continue
        store_file(path, target)
        source_file = home.relative(target)
        order.record(source_file, candidate.sha256)
        prepared[source_file] = candidate

    registry = dict(con.execute(
        "SELECT source_file, source_sha256 FROM meta.file_registry WHERE dataset = ?", [dataset_name]
    ).fetchall())
    on_disk = {home.relative(p): p for p in dataset_files(home, dataset_name)}
    shas = {name: (prepared[name].sha256 if name in prepared else file_sha256(p)) for name, p in on_disk.items()}
    for name in sorted(on_disk, key=lambda n: (order.seq_of(n) is None, order.seq_of(n) or 0, n)):
        order.record(name, shas[name])
    order.write()

    for name in sorted(on_disk, key=lambda n: order.seq_of(n) or 0):
        sha = shas[name]
        if registry.get(name) == sha:
            report.records.append(LoadRecord(name, dataset_name, "unchanged", sha256=sha))
            continue
        candidate = prepared.get(name) or prepare_cached(on_disk[name], dataset_name, home=home, name=name, sha256=sha)
        if candidate.accepted:
            assert candidate.rows is not None
            say(f"{dataset_name}: loading {name} ({candidate.rows.height} rows)")
            report.records.append(load_rows(
                con, dataset, candidate.rows, source_file=name, sha256=sha,
                ingest_seq=order.seq_of(name) or 0, run_id=run_id,
            ))
        else:
            say(f"{dataset_name}: rejected {name} ({len(candidate.problems)} problems)")
            quarantine(home, candidate)
            report.records.append(record_rejection(
                con, dataset_name, source_file=name, sha256=sha, problems=candidate.problems, run_id=run_id,
            ))

    for name in sorted(set(registry) - set(on_disk)):
        say(f"{dataset_name}: removing rows of {name} (file no longer under raw/)")
        report.records.append(remove_file(con, dataset_name, source_file=name, run_id=run_id))
    return report
