"""A sanctions list's history, kept snapshot by snapshot as ``designations`` files are loaded.

Lists such as OFAC's SDN list are published as whole snapshots without dates of listing;
the history comes from comparing consecutive snapshots of a list. Three tables in schema
``history`` hold it, maintained in the transaction that loads a snapshot:

- ``designation_snapshots``: one row per loaded snapshot (list, as_of, file, entries);
- ``designation_entries``: one row per (list, entry): first and last snapshot that had it,
  and its name, type, programmes, target, remarks, listing date, date of birth and IMO
  number as in the latest snapshot that has it, with the name's normalised form
  (``name_key``, :func:`ingestion.normalize.names.name_key`) for matching entries across lists;
- ``designation_changes``: one row per change between consecutive snapshots: ``listed``
  (never seen before), ``delisted``, ``relisted`` (seen in an earlier snapshot, absent from
  the previous one), ``renamed``, ``programmes_changed``.

Loading snapshot S compares it with its neighbours in time only, P (the latest earlier
snapshot) and N (the earliest later one): the changes P→N are replaced by P→S and S→N, and
the entries of S update their state. An earlier-dated snapshot loaded late can turn a later
``listed`` into ``relisted`` for its own entries: that update touches only those entries.
So time and memory grow with the snapshot, not with the history; loading snapshots in any
order gives the same tables. Removing or replacing a snapshot rebuilds its list from its
remaining snapshots (rare, and then history-sized).
"""

from __future__ import annotations

import duckdb
import polars as pl

from ingestion.normalize.names import name_key

HISTORY_DDL = (
    """CREATE TABLE IF NOT EXISTS history.designation_snapshots (
  list_id VARCHAR NOT NULL,
  as_of DATE NOT NULL,
  imposed_by VARCHAR NOT NULL,
  source_file VARCHAR NOT NULL,
  entries BIGINT NOT NULL,
  PRIMARY KEY (list_id, as_of)
)""",
    """CREATE TABLE IF NOT EXISTS history.designation_entries (
  list_id VARCHAR NOT NULL,
  entry_id VARCHAR NOT NULL,
  imposed_by VARCHAR,
  name VARCHAR,
  entity_type VARCHAR,
  programmes VARCHAR,
  target VARCHAR,
  remarks VARCHAR,
  first_seen DATE NOT NULL,
  last_seen DATE NOT NULL,
  source_file VARCHAR,            -- the latest snapshot that has the entry
  listed_on DATE,                 -- the listing date the list gives, if it gives one
  birth_date VARCHAR,             -- YYYY-MM-DD, YYYY-MM or YYYY
  imo_number VARCHAR,             -- a vessel's IMO number
  name_key VARCHAR,               -- the name normalised (ingestion/normalize/names.py), for matching across lists
  PRIMARY KEY (list_id, entry_id)
)""",
    """CREATE TABLE IF NOT EXISTS history.designation_changes (
  list_id VARCHAR NOT NULL,
  entry_id VARCHAR NOT NULL,
  as_of DATE NOT NULL,            -- the later snapshot of the pair
  previous_as_of DATE NOT NULL,   -- the earlier snapshot of the pair
  change VARCHAR NOT NULL,        -- listed | delisted | relisted | renamed | programmes_changed
  old_value VARCHAR,
  new_value VARCHAR,
  entity_type VARCHAR,
  target VARCHAR,
  source_file VARCHAR NOT NULL    -- the snapshot file of as_of
)""",
)

#: Columns added to ``history.designation_entries`` after its first release: a warehouse
#: created before them gets them from :func:`ensure_history_schema` (``CREATE TABLE IF NOT
#: EXISTS`` does not add columns to an existing table). New columns go last, here and in the DDL,
#: so that an upgraded table and a new one have the same shape.
ADDED_ENTRY_COLUMNS = {"listed_on": "DATE", "birth_date": "VARCHAR", "imo_number": "VARCHAR", "name_key": "VARCHAR"}

#: The columns of ``history.designation_entries`` an entry's latest snapshot sets.
_LATEST_ATTRIBUTES = ("imposed_by", "name", "entity_type", "programmes", "target", "remarks", "source_file",
                      *ADDED_ENTRY_COLUMNS)

#: One row per snapshot entry, as compared (``raw.designations`` restricted to one snapshot).
_SNAPSHOT = """(SELECT entry_id, name, entity_type, coalesce(programmes, '') AS programmes, target
               FROM raw.designations WHERE list_id = ? AND as_of = ?)"""


def ensure_history_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ``history`` schema and tables where missing; give entries loaded before ``name_key`` theirs."""
    con.execute("CREATE SCHEMA IF NOT EXISTS history")
    for ddl in HISTORY_DDL:
        con.execute(ddl)
    for column, sql_type in ADDED_ENTRY_COLUMNS.items():
        con.execute(f"ALTER TABLE history.designation_entries ADD COLUMN IF NOT EXISTS {column} {sql_type}")
    unkeyed = _names(con, "SELECT list_id, entry_id, name FROM history.designation_entries "
                          "WHERE name_key IS NULL AND name IS NOT NULL")
    if unkeyed.height:
        _with_name_keys(con, unkeyed, "UPDATE history.designation_entries e SET name_key = k.name_key "
                                      "FROM name_keys k WHERE e.list_id = k.list_id AND e.entry_id = k.entry_id")


def snapshot_of(con: duckdb.DuckDBPyConnection, source_file: str) -> tuple[str, object] | None:
    """The (list_id, as_of) a loaded file holds, if it is a snapshot."""
    row = con.execute("SELECT list_id, as_of FROM history.designation_snapshots WHERE source_file = ?",
                      [source_file]).fetchone()
    return (row[0], row[1]) if row else None


def refuse_duplicate_snapshot(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, source_file: str) -> str | None:
    """Why ``rows`` cannot load: another file is already the snapshot of the same list and date (else None)."""
    if rows.height == 0:
        return None
    list_id, as_of = rows.get_column("list_id")[0], rows.get_column("as_of")[0]
    row = con.execute("SELECT source_file FROM history.designation_snapshots WHERE list_id = ? AND as_of = ? "
                      "AND source_file <> ?", [list_id, as_of, source_file]).fetchone()
    if row is None:
        return None
    return (f"the snapshot of {list_id} as of {as_of} is already loaded from {row[0]}: two different files cannot "
            f"be the same snapshot (give this one its own --as-of, or remove {row[0]} and refresh if it replaces it)")


def apply_snapshot(con: duckdb.DuckDBPyConnection, source_file: str) -> None:
    """Fold the snapshot just loaded from ``source_file`` into its list's history (inside the load's transaction)."""
    row = con.execute("SELECT list_id, as_of, any_value(imposed_by), count(*) FROM raw.designations "
                      "WHERE source_file = ? GROUP BY ALL", [source_file]).fetchone()
    if row is None:
        return
    list_id, as_of, imposed_by, entries = row
    con.execute("INSERT INTO history.designation_snapshots VALUES (?, ?, ?, ?, ?)",
                [list_id, as_of, imposed_by, source_file, entries])
    previous, following = _neighbours(con, list_id, as_of)
    _update_entries(con, source_file)
    if following is not None:
        con.execute("DELETE FROM history.designation_changes WHERE list_id = ? AND as_of = ?", [list_id, following])
    if previous is not None:
        _insert_changes(con, list_id, previous, as_of)
    if following is not None:
        _insert_changes(con, list_id, as_of, following)
        # entries of this (earlier) snapshot that a later pair called new are in fact back
        con.execute(
            "UPDATE history.designation_changes SET change = 'relisted' WHERE list_id = ? AND as_of > ? "
            "AND change = 'listed' AND entry_id IN (SELECT entry_id FROM raw.designations "
            "WHERE list_id = ? AND as_of = ?)", [list_id, following, list_id, as_of])


def forget_snapshot(con: duckdb.DuckDBPyConnection, source_file: str) -> None:
    """Drop a snapshot's history before its rows are removed or replaced; its list is rebuilt afterwards."""
    snapshot = snapshot_of(con, source_file)
    if snapshot is None:
        return
    list_id, _as_of = snapshot
    con.execute("DELETE FROM history.designation_snapshots WHERE source_file = ?", [source_file])
    con.execute("DELETE FROM history.designation_changes WHERE list_id = ?", [list_id])
    con.execute("DELETE FROM history.designation_entries WHERE list_id = ?", [list_id])
    con.execute("CREATE OR REPLACE TEMP TABLE designation_rebuild AS "
                "SELECT source_file FROM history.designation_snapshots WHERE list_id = ? ORDER BY as_of", [list_id])
    remaining = [f for (f,) in con.execute("SELECT source_file FROM designation_rebuild").fetchall()]
    con.execute("DROP TABLE designation_rebuild")
    con.execute("DELETE FROM history.designation_snapshots WHERE list_id = ?", [list_id])
    for other in remaining:
        apply_snapshot(con, other)


def _neighbours(con: duckdb.DuckDBPyConnection, list_id: str, as_of: object) -> tuple[object, object]:
    return con.execute(
        "SELECT max(as_of) FILTER (WHERE as_of < ?), min(as_of) FILTER (WHERE as_of > ?) "
        "FROM history.designation_snapshots WHERE list_id = ?", [as_of, as_of, list_id]).fetchone()


def _update_entries(con: duckdb.DuckDBPyConnection, source_file: str) -> None:
    """First/last seen of the snapshot's entries; their attributes when it is their latest snapshot."""
    latest = ",\n            ".join(
        f"{c} = CASE WHEN excluded.last_seen >= last_seen THEN excluded.{c} ELSE {c} END" for c in _LATEST_ATTRIBUTES)
    names = _names(con, "SELECT list_id, entry_id, name FROM raw.designations WHERE source_file = ?", [source_file])
    _with_name_keys(con, names, f"""
        INSERT INTO history.designation_entries (list_id, entry_id, imposed_by, name, entity_type, programmes,
            target, remarks, first_seen, last_seen, source_file, listed_on, birth_date, imo_number, name_key)
        SELECT d.list_id, d.entry_id, d.imposed_by, d.name, d.entity_type, d.programmes, d.target, d.remarks, d.as_of,
               d.as_of, ?, d.listed_on, d.birth_date, d.imo_number, k.name_key
        FROM raw.designations d
        LEFT JOIN name_keys k ON d.list_id = k.list_id AND d.entry_id = k.entry_id
        WHERE d.source_file = ?
        ON CONFLICT (list_id, entry_id) DO UPDATE SET
            first_seen = least(first_seen, excluded.first_seen),
            last_seen = greatest(last_seen, excluded.last_seen),
            {latest}
    """, [source_file, source_file])


def _names(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """The (list_id, entry_id, name) rows of ``sql``."""
    rows = con.execute(sql, params or []).fetchall()
    return pl.DataFrame(rows, schema={"list_id": pl.String, "entry_id": pl.String, "name": pl.String}, orient="row")


def _with_name_keys(con: duckdb.DuckDBPyConnection, names: pl.DataFrame, sql: str, params: list | None = None) -> None:
    """Run ``sql`` with a relation ``name_keys`` (list_id, entry_id, name_key) made from ``names``."""
    keys = names.select("list_id", "entry_id", name_key(pl.col("name")).alias("name_key"))
    con.register("name_keys", keys.to_arrow())
    try:
        con.execute(sql, params or [])
    finally:
        con.unregister("name_keys")


def _insert_changes(con: duckdb.DuckDBPyConnection, list_id: str, earlier: object, later: object) -> None:
    """The changes between two consecutive snapshots of a list."""
    later_file = con.execute("SELECT source_file FROM history.designation_snapshots WHERE list_id = ? AND as_of = ?",
                             [list_id, later]).fetchone()[0]
    con.execute(f"""
        INSERT INTO history.designation_changes
        WITH old AS {_SNAPSHOT}, new AS {_SNAPSHOT},
        pairs AS (
            SELECT coalesce(new.entry_id, old.entry_id) AS entry_id, old.entry_id IS NOT NULL AS in_old,
                   new.entry_id IS NOT NULL AS in_new, old.name AS old_name, new.name AS new_name,
                   old.programmes AS old_programmes, new.programmes AS new_programmes,
                   coalesce(new.entity_type, old.entity_type) AS entity_type, coalesce(new.target, old.target) AS target
            FROM old FULL OUTER JOIN new ON old.entry_id = new.entry_id
        ),
        changes AS (
            SELECT entry_id, CASE WHEN e.first_seen < ? THEN 'relisted' ELSE 'listed' END AS change,
                   NULL AS old_value, new_name AS new_value, p.entity_type, p.target
            FROM pairs p JOIN history.designation_entries e USING (entry_id)
            WHERE e.list_id = ? AND in_new AND NOT in_old
            UNION ALL
            SELECT entry_id, 'delisted', old_name, NULL, entity_type, target FROM pairs WHERE in_old AND NOT in_new
            UNION ALL
            SELECT entry_id, 'renamed', old_name, new_name, entity_type, target
            FROM pairs WHERE in_old AND in_new AND old_name IS DISTINCT FROM new_name
            UNION ALL
            SELECT entry_id, 'programmes_changed', nullif(old_programmes, ''), nullif(new_programmes, ''),
                   entity_type, target
            FROM pairs WHERE in_old AND in_new AND old_programmes IS DISTINCT FROM new_programmes
        )
        SELECT ?, entry_id, ?, ?, change, old_value, new_value, entity_type, target, ? FROM changes
    """, [list_id, earlier, list_id, later, earlier, list_id, list_id, later, earlier, later_file])
