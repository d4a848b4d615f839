"""What the published warehouse holds, as the CLI reports it: one place for the SQL ``status``, ``sources``,
``refresh`` and the run summary read (the CLI only formats it). Every function opens its own read-only
connection and never needs Dagster, dbt or Great Expectations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from ingestion.datasets import DATASETS, SIDE_DATASETS
from ingestion.home import Home
from ingestion.warehouse import WarehouseMissing, connect_readonly

#: The latest attempt at each file, kept where it was a rejection.
_REJECTED = """
    SELECT source_file, problem_count, finished_at FROM (
        SELECT *, row_number() OVER (PARTITION BY source_file ORDER BY finished_at DESC) AS n
        FROM meta.load_log WHERE outcome IN ('loaded', 'rejected'))
    WHERE n = 1 AND outcome = 'rejected' ORDER BY source_file
"""

#: Each stored release with whether it is current: decided once, by the model the facts use (int_source_files).
_RELEASES = """
    SELECT s.source, s.release_key, s.source_file, f.row_count, r.rows_skipped, f.loaded_at,
           count(*) OVER (PARTITION BY s.source, s.release_key) AS releases, s.is_current
    FROM intermediate.int_source_files s
    JOIN meta.source_releases r USING (source_file) JOIN meta.file_registry f USING (source_file)
    WHERE s.is_release
    ORDER BY s.source, s.release_key
"""


@dataclass(frozen=True)
class CurrentRelease:
    """The current release of a source (and release key) and how many are stored."""

    release_key: str
    source_file: str
    rows: int
    rows_skipped: int
    loaded_at: datetime
    releases: int


def _count(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> int:
    return con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()[0]


def table_counts(home: Home, schemas: tuple[str, ...] = ("raw", "marts")) -> dict[str, int]:
    """Rows of every table in ``schemas``, by ``schema.table``, in name order."""
    con = connect_readonly(home)
    try:
        tables = con.execute(
            f"SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN "
            f"({', '.join('?' for _ in schemas)}) ORDER BY schema_name, table_name", list(schemas)).fetchall()
        return {f"{schema}.{table}": _count(con, schema, table) for schema, table in tables}
    finally:
        con.close()


def dataset_counts(home: Home) -> list[tuple[str, int]]:
    """Rows per dataset table (its own and the side tables a publisher file fills), 0 where absent."""
    counts = table_counts(home, ("raw",))
    return [(name, counts.get(f"raw.{name}", 0)) for name in (*DATASETS, *SIDE_DATASETS)]


def loaded_files(home: Home) -> list[tuple]:
    """(dataset, source file, rows, SHA-256, loaded at) of every loaded file, by dataset and ingestion order."""
    con = connect_readonly(home)
    try:
        return con.execute("SELECT dataset, source_file, row_count, source_sha256, loaded_at FROM meta.file_registry "
                           "ORDER BY dataset, ingest_seq").fetchall()
    finally:
        con.close()


def rejected_files(home: Home) -> list[tuple[str, int, datetime]]:
    """(file, problems, when) of every file whose latest load attempt rejected it."""
    con = connect_readonly(home)
    try:
        return con.execute(_REJECTED).fetchall()
    finally:
        con.close()


def current_releases(home: Home) -> dict[str, list[CurrentRelease]]:
    """Per source, its current release per release key; empty where nothing is built yet."""
    try:
        con = connect_readonly(home)
    except WarehouseMissing:
        return {}
    try:
        if not con.execute("SELECT count(*) FROM duckdb_views() WHERE schema_name = 'intermediate' "
                           "AND view_name = 'int_source_files'").fetchone()[0]:
            return {}
        rows = con.execute(_RELEASES).fetchall()
    finally:
        con.close()
    current: dict[str, list[CurrentRelease]] = {}
    for source, key, source_file, count, skipped, loaded_at, releases, is_current in rows:
        if is_current:
            current.setdefault(source, []).append(CurrentRelease(key, source_file, count, skipped, loaded_at,
                                                                 releases))
    return current


def registered_sha256(home: Home) -> dict[str, str]:
    """The SHA-256 of every loaded file, by its path under the home (``raw/...``); empty without a warehouse."""
    try:
        con = connect_readonly(home)
    except WarehouseMissing:
        return {}
    try:
        return dict(con.execute("SELECT source_file, source_sha256 FROM meta.file_registry").fetchall())
    finally:
        con.close()
