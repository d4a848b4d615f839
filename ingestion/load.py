"""Write one file's outcome to the warehouse, each in one transaction.

A load replaces every row that came from the same ``source_file``, updates
the file registry and appends to the load log, all or nothing. A rejection
only appends to the load log. A removal deletes the file's rows and its
registry entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import polars as pl

from ingestion.contracts import Dataset
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


def load_rows(con: duckdb.DuckDBPyConnection, dataset: Dataset, rows: pl.DataFrame, *, source_file: str,
              sha256: str, ingest_seq: int, run_id: str | None) -> LoadRecord:
    """Replace the rows of ``source_file`` with ``rows`` (normalised), atomically."""
    started = _now()
    table = dataset.table_columns()
    frame = rows.with_columns(
        pl.lit(source_file).alias("source_file"),
        pl.lit(sha256).alias("source_sha256"),
        pl.lit(ingest_seq, pl.Int64).alias("ingest_seq"),
        pl.lit(started).alias("loaded_at"),
    ).select(list(table))
    record = LoadRecord(source_file, dataset.name, "loaded", frame.height, sha256)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM raw.{dataset.name} WHERE source_file = ?", [source_file])
        con.register("incoming_rows", frame.to_arrow())
        con.execute(f"INSERT INTO raw.{dataset.name} BY NAME SELECT * FROM incoming_rows")
        con.unregister("incoming_rows")
        con.execute("DELETE FROM meta.file_registry WHERE source_file = ?", [source_file])
        con.execute(
            "INSERT INTO meta.file_registry VALUES (?, ?, ?, ?, ?, ?)",
            [source_file, dataset.name, sha256, frame.height, ingest_seq, started],
        )
        _log(con, record, run_id, started)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return record


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
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM raw.{dataset} WHERE source_file = ?", [source_file])
        con.execute("DELETE FROM meta.file_registry WHERE source_file = ?", [source_file])
        _log(con, record, run_id, started)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return record


def load_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Replace ``ref.countries`` and ``ref.bloc_members`` with the reviewed reference data."""
    ensure_schema(con)
    entities = countries.entities_table().select("code", "name", "kind", "iso2", "source")
    members = countries.bloc_members_table().select("bloc", "member", "member_from", "member_to", "source")
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in (("ref.countries", entities), ("ref.bloc_members", members)):
            con.register("incoming_ref", frame.to_arrow())
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_ref")
            con.unregister("incoming_ref")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"ref.countries": entities.height, "ref.bloc_members": members.height}
