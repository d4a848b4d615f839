"""A new publisher release far smaller than the current one: likely cut short or broken upstream.

After a release maps, its rows are compared with those of the current release of the same
source and release key (e.g. the importer of ``crea-shipments``) as loaded in the published
warehouse: ``meta.file_registry.row_count`` of the file ``intermediate.int_source_files`` marks
current, the model the facts use. A release with fewer than half as many rows is suspicious:
``pull`` warns, and with ``--strict`` refuses it; the Dagster pull asset warns. A release that
would not become the current one (an ``--as-of`` older than the current release's) is not
compared: it replaces nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ingestion.home import Home
from ingestion.prepare import PreparedFile
from ingestion.sync import release_key
from ingestion.warehouse import WarehouseMissing, connect_readonly

#: a release with fewer than this share of the current release's rows is reported
SHRINK_RATIO = 0.5


@dataclass(frozen=True)
class CurrentRelease:
    """The current release of a source and release key, as loaded."""

    source_file: str
    rows: int
    as_of: date | None


@dataclass(frozen=True)
class Shrinkage:
    """A release with far fewer rows than the current one of its source."""

    source: str
    release_key: str
    rows: int
    current: CurrentRelease

    def describe(self, location: str) -> str:
        """What shrank, naming both releases and both row counts (one clause)."""
        key = f" ({self.release_key})" if self.release_key else ""
        return (f"the {self.source}{key} release from {location} has {self.rows:,} rows, fewer than half the "
                f"{self.current.rows:,} rows of the current release {self.current.source_file}")


def current_release(home: Home, source: str, key: str) -> CurrentRelease | None:
    """The current release of ``source`` and release ``key`` in the published warehouse, if one is loaded."""
    try:
        con = connect_readonly(home)
    except WarehouseMissing:
        return None
    try:
        if not con.execute("SELECT count(*) FROM duckdb_views() WHERE schema_name = 'intermediate' "
                           "AND view_name = 'int_source_files'").fetchone()[0]:
            return None
        row = con.execute("""
            SELECT s.source_file, f.row_count, s.as_of
            FROM intermediate.int_source_files s JOIN meta.file_registry f USING (source_file)
            WHERE s.is_release AND s.is_current AND s.source = ? AND s.release_key = ?
        """, [source, key]).fetchone()
    finally:
        con.close()
    return CurrentRelease(row[0], row[1], row[2]) if row else None


def replaces(as_of: date | None, current: CurrentRelease) -> bool:
    """True when a new release with ``as_of`` becomes current over ``current`` (int_source_files' order)."""
    if current.as_of is None:
        return True
    return as_of is not None and as_of >= current.as_of


def shrunken_release(home: Home, prepared: PreparedFile, *, ratio: float = SHRINK_RATIO) -> Shrinkage | None:
    """How ``prepared`` shrinks the current release it would replace, if it has fewer than ``ratio`` of its rows."""
    if not prepared.accepted:
        return None
    key = release_key(prepared.source, prepared.options)
    current = current_release(home, prepared.source, key)
    if current is None or not replaces(prepared.options.as_of, current):
        return None
    if prepared.row_count >= ratio * current.rows:
        return None
    return Shrinkage(prepared.source, key, prepared.row_count, current)
