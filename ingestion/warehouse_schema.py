"""DDL of the tables the loader owns: raw data, reference data and bookkeeping."""

from __future__ import annotations

import duckdb

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
    """CREATE TABLE IF NOT EXISTS ref.programme_families (
  list_id VARCHAR NOT NULL,   -- the sanctions list (designations.list_id)
  programme VARCHAR NOT NULL, -- the list's programme code as its entries name it, or a regime whose
                              -- entries' programmes are `<regime> (<schedule part>)` (Canada: RUS)
  family VARCHAR NOT NULL,    -- the family figures are counted by (e.g. russia_eo14024, ukraine_related)
  source VARCHAR NOT NULL,    -- what the programme is, with its publisher's page
  PRIMARY KEY (list_id, programme)
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
  rows_skipped BIGINT NOT NULL,
  release VARCHAR,                  -- the publisher's own name or number of the release (Kiel: 29), if known
  origin VARCHAR,                   -- the address it was pulled from (null: a local file)
  data_from DATE,                   -- the first day the release's data cover
  data_to DATE                      -- the last day the release's data cover (its cut-off)
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


#: Columns added to meta tables after they were first created (table -> column -> type).
_META_ADDED = {"meta.source_releases": {"release": "VARCHAR", "origin": "VARCHAR", "data_from": "DATE",
                                        "data_to": "DATE"}}


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas and tables the loader writes, where missing; add columns a newer contract has."""
    for schema in ("raw", "ref", "meta"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for ddl in (*REFERENCE_DDL, *META_DDL):
        con.execute(ddl)
    for dataset in (*DATASETS.values(), *SIDE_DATASETS.values()):
        con.execute(dataset.create_table_sql())
        _add_missing_columns(con, f"raw.{dataset.name}", dataset.table_columns())
    for table, columns in _META_ADDED.items():
        _add_missing_columns(con, table, columns)
    ensure_history_schema(con)


def _add_missing_columns(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str]) -> None:
    """Add to ``table`` the ``columns`` it lacks (a warehouse built by an older version): loads write by name."""
    schema, name = table.split(".")
    present = {c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchall()}
    for column, sql_type in columns.items():
        if column not in present:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")
