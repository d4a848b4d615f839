"""Write one file's outcome to the warehouse, each in one transaction.

A load replaces every row that came from the same ``source_file``, updates
the file registry and appends to the load log, all or nothing. A rejection
only appends to the load log. A removal deletes the file's rows and its
registry entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from ingestion import row_parts
from ingestion.bulk_writes import in_any_order
from ingestion.contracts import Dataset
from ingestion.datasets import SIDE_DATASETS, get_dataset
from ingestion.designation_history import apply_snapshot, forget_snapshot, refuse_duplicate_snapshot
from ingestion.issues import issue_rows
from ingestion.normalize import countries
from ingestion.problems import Problem, problems_to_json
from ingestion.warehouse_schema import ensure_schema


@dataclass(frozen=True)
class LoadRecord:
    """What happened to one file in one load."""

    source_file: str
    dataset: str
    outcome: str  # loaded | rejected | removed | unchanged
    row_count: int = 0
    sha256: str | None = None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Release:
    """A publisher file's entry in ``meta.source_releases``."""

    source: str
    release_key: str
    as_of: date | None
    options: str
    rows_skipped: int
    release: str | None = None
    origin: str | None = None
    data_from: date | None = None
    data_to: date | None = None


@dataclass(frozen=True)
class LoadHooks:
    """What else loading or removing a file of a dataset updates, in the same transaction."""

    before_unload: Callable[[duckdb.DuckDBPyConnection, str], None]
    after_load: Callable[[duckdb.DuckDBPyConnection, str], None]
    #: why a file's rows cannot load given what is loaded already (None: they can).
    refuse: Callable[[duckdb.DuckDBPyConnection, pl.DataFrame, str], str | None] | None = None


#: Datasets whose loads maintain more than their own table (by dataset name).
HOOKS: dict[str, LoadHooks] = {
    "designations": LoadHooks(before_unload=forget_snapshot, after_load=apply_snapshot,
                              refuse=refuse_duplicate_snapshot),
}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _log(con: duckdb.DuckDBPyConnection, record: LoadRecord, run_id: str | None, started: datetime) -> None:
    con.execute(
        "INSERT INTO meta.load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            str(uuid.uuid4()), run_id, record.dataset, record.source_file, record.sha256, record.outcome,
            record.row_count, len(record.problems),
            problems_to_json(list(record.problems)) if record.problems else None, started, _now(),
        ],
    )


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _delete_rows(con: duckdb.DuckDBPyConnection, dataset: Dataset, source_file: str) -> None:
    """Delete the rows of ``source_file`` from the dataset's tables (its own and its side tables)."""
    for target in _tables_of(dataset):
        con.execute(f"DELETE FROM raw.{target.name} WHERE source_file = ?", [source_file])


def _unregister(con: duckdb.DuckDBPyConnection, source_file: str) -> None:
    """Delete the registry and release entries of ``source_file``."""
    con.execute("DELETE FROM meta.file_registry WHERE source_file = ?", [source_file])
    con.execute("DELETE FROM meta.source_releases WHERE source_file = ?", [source_file])


def load_rows(con: duckdb.DuckDBPyConnection, dataset: Dataset, rows: pl.DataFrame | Path, *, source_file: str,
              sha256: str, ingest_seq: int, run_id: str | None, side: dict[Dataset, pl.DataFrame] | None = None,
              release: Release | None = None, skipped: list[Problem] | None = None) -> LoadRecord:
    """Replace the rows of ``source_file`` with ``rows`` (normalised; in memory, or the folder holding them
    (:mod:`ingestion.row_parts`), which DuckDB reads itself), atomically.

    A publisher file also brings its ``side`` tables (e.g. ``pledge_commitments``), its
    ``release`` entry and the rows it ``skipped`` (logged with the load), in the same transaction.
    """
    started = _now()
    tables = {dataset: rows, **(side or {})}
    count = _count(rows)
    record = LoadRecord(source_file, dataset.name, "loaded", count, sha256, tuple(skipped or ()))
    hooks = HOOKS.get(dataset.name)
    with _transaction(con):
        if hooks:
            hooks.before_unload(con, source_file)
        _delete_rows(con, dataset, source_file)
        for target, frame in tables.items():
            _insert(con, target, frame, source_file=source_file, sha256=sha256, ingest_seq=ingest_seq,
                    loaded_at=started)
        if hooks:
            hooks.after_load(con, source_file)
        _unregister(con, source_file)
        con.execute(
            "INSERT INTO meta.file_registry VALUES (?, ?, ?, ?, ?, ?)",
            [source_file, dataset.name, sha256, count, ingest_seq, started],
        )
        if release is not None:
            con.execute(
                "INSERT INTO meta.source_releases BY NAME SELECT ? AS source_file, ? AS source, ? AS dataset, "
                "? AS release_key, ? AS as_of, ? AS options, ? AS ingest_seq, ? AS rows_skipped, ? AS release, "
                "? AS origin, ? AS data_from, ? AS data_to",
                [source_file, release.source, dataset.name, release.release_key, release.as_of, release.options,
                 ingest_seq, release.rows_skipped, release.release, release.origin, release.data_from,
                 release.data_to],
            )
        _log(con, record, run_id, started)
    return record


def _tables_of(dataset: Dataset) -> list[Dataset]:
    """The dataset's table and the side tables a publisher file of it can fill."""
    return [dataset, *SIDE_DATASETS.values()]


def _count(rows: pl.DataFrame | Path) -> int:
    """How many rows ``rows`` holds (on disk: from the parts' footers)."""
    return row_parts.count(rows) if isinstance(rows, Path) else rows.height


def _insert(con: duckdb.DuckDBPyConnection, dataset: Dataset, rows: pl.DataFrame | Path, *, source_file: str,
            sha256: str, ingest_seq: int, loaded_at: datetime) -> None:
    file_columns = ("source_file", "source_sha256", "ingest_seq", "loaded_at")  # one value for the whole file
    selected = ", ".join(f'"{c}"' for c in dataset.table_columns() if c not in file_columns)
    # rows keep their place in the file as ``load_row``, not as the table's order
    with row_parts.sql_source(con, rows) as incoming, in_any_order(con):
        con.execute(
            f"INSERT INTO raw.{dataset.name} BY NAME SELECT {selected}, "
            "?::VARCHAR AS source_file, ?::VARCHAR AS source_sha256, ?::BIGINT AS ingest_seq, "
            f"?::TIMESTAMP AS loaded_at FROM {incoming}",
            [source_file, sha256, ingest_seq, loaded_at],
        )


def record_rejection(con: duckdb.DuckDBPyConnection, dataset: str, *, source_file: str, sha256: str | None,
                     problems: list[Problem], run_id: str | None) -> LoadRecord:
    """Log a rejected file; no data table changes."""
    record = LoadRecord(source_file, dataset, "rejected", 0, sha256, tuple(problems))
    _log(con, record, run_id, _now())
    return record


def remove_file(con: duckdb.DuckDBPyConnection, dataset: str, *, source_file: str,
                run_id: str | None) -> LoadRecord:
    """Delete the rows and registry entry of a file no longer under ``raw/``."""
    started = _now()
    record = LoadRecord(source_file, dataset, "removed")
    hooks = HOOKS.get(dataset)
    with _transaction(con):
        if hooks:
            hooks.before_unload(con, source_file)
        _delete_rows(con, get_dataset(dataset), source_file)
        _unregister(con, source_file)
        _log(con, record, run_id, started)
    return record


def load_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Replace the ``ref`` tables (countries, bloc members, issues, programme families) with the reviewed data."""
    ensure_schema(con)
    entities = countries.entities_table().select("code", "name", "kind", "iso2", "source")
    members = countries.bloc_members_table().select("bloc", "member", "member_from", "member_to", "source")
    issues = pl.DataFrame(list(issue_rows()), schema=dict.fromkeys(("issue", "label", "description", "source"),
                                                                   pl.String))
    families = pl.read_csv(countries.REFERENCE_DIR / "sanction_programme_families.csv", infer_schema=False)
    tables = {"ref.countries": entities, "ref.bloc_members": members, "ref.issues": issues,
              "ref.programme_families": families}
    with _transaction(con):
        for table, frame in tables.items():
            con.register("incoming_ref", frame.to_arrow())
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_ref")
            con.unregister("incoming_ref")
    return {name: frame.height for name, frame in tables.items()}
