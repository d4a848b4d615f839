"""DDL of the tables the loader owns: raw data, reference data and bookkeeping."""

from __future__ import annotations

import duckdb

from ingestion.contracts import Dataset
from ingestion.datasets import DATASETS, SIDE_DATASETS
from ingestion.designation_history import ensure_history_schema

REFERENCE_DDL = (
    """CREATE TABLE IF NOT EXISTS ref.countries (
  code VARCHAR PRIMARY KEY,   -- ISO 3166-1 alpha-3, or the documented code of a bloc/organisation/region
  name VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,      -- country | bloc | organisation | region
  iso2 VARCHAR,               -- ISO 3166-1 alpha-2 where there is one
  source VARCHAR              -- where the entry (if not ISO 3166) comes from
)""",
    """CREATE TABLE IF NOT EXISTS ref.issues (
  issue VARCHAR PRIMARY KEY,  -- the positions contract's issue enum (ingestion/reference/issues.csv)
  label VARCHAR NOT NULL,
  description VARCHAR NOT NULL,
  source VARCHAR NOT NULL     -- where the issue comes from (EXTRACTS.md, or the issue that added it)
)""",
    """CREATE TABLE IF NOT EXISTS ref.bloc_members (
  bloc VARCHAR NOT NULL,
  member VARCHAR NOT NULL,
  member_from DATE,
  member_to DATE,             -- last day of membership, null while a member
  source VARCHAR
)""",
)

META_DDL = (
    """CREATE TABLE IF NOT EXISTS meta.file_registry (
  source_file VARCHAR PRIMARY KEY,  -- path relative to the home, e.g. raw/pledges/x.csv
  dataset VARCHAR NOT NULL,
  source_sha256 VARCHAR NOT NULL,
  row_count BIGINT NOT NULL,
  ingest_seq BIGINT NOT NULL,
  loaded_at TIMESTAMP NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS meta.source_releases (
  source_file VARCHAR PRIMARY KEY,  -- raw/sources/<source>/<stamp>_<name>, as in meta.file_registry
  source VARCHAR NOT NULL,          -- publisher format, e.g. kiel-ust
  dataset VARCHAR NOT NULL,
  release_key VARCHAR NOT NULL,     -- '' or the option that keeps releases apart (crea-shipments: importer code)
  as_of DATE,                       -- --as-of given at ingestion, if any
  options VARCHAR,                  -- JSON of the options the file was mapped with
  ingest_seq BIGINT NOT NULL,
  rows_skipped BIGINT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS meta.load_log (
  load_id VARCHAR PRIMARY KEY,
  run_id VARCHAR,
  dataset VARCHAR,
  source_file VARCHAR NOT NULL,
  source_sha256 VARCHAR,
  outcome VARCHAR NOT NULL,         -- loaded | rejected | removed
  row_count BIGINT,
  problem_count BIGINT,
  problems VARCHAR,                 -- JSON list of {row, column, value, reason}
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL
)""",
)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas and tables the loader writes, where missing."""
    for schema in ("raw", "ref", "meta"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for ddl in (*REFERENCE_DDL, *META_DDL):
        con.execute(ddl)
    for dataset in (*DATASETS.values(), *SIDE_DATASETS.values()):
        con.execute(dataset.create_table_sql())
        add_missing_columns(con, dataset)
    ensure_history_schema(con)


def add_missing_columns(con: duckdb.DuckDBPyConnection, dataset: Dataset, schema: str = "raw") -> list[str]:
    """Add to an existing ``<schema>.<dataset>`` table the columns its contract gained since it was created.

    ``CREATE TABLE IF NOT EXISTS`` leaves an older table as it was; rows are inserted by name,
    so a column added at the end of an older table is as good as one declared in place. Returns
    the columns added (nulls in the rows already loaded).
    """
    present = {name for (name,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = ? AND table_name = ?",
        [schema, dataset.name]).fetchall()}
    missing = [(name, sql_type) for name, sql_type in dataset.table_columns().items() if name not in present]
    for name, sql_type in missing:
        con.execute(f"ALTER TABLE {schema}.{dataset.name} ADD COLUMN IF NOT EXISTS {name} {sql_type}")
    return [name for name, _ in missing]
