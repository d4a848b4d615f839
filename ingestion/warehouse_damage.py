"""A published warehouse that cannot be read: found before a run copies it, kept aside, rebuilt from ``raw/``.

The warehouse is derived data. When ``warehouse.duckdb`` is truncated or its bytes were changed
behind pledgewatch's back (a disk fault, a copy cut short, a stray write), DuckDB fails on open or
on the first damaged block it reads. Every writer checks before it copies the file: the file opens
and its load registry reads; and when the file is not the one pledgewatch last published (its size
or modification time differ from the stamp written at publication) every row of every table is
read once, so that a damaged block is found now and not in the middle of a run.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion.home import Home


class WarehouseDamaged(Exception):
    """The published warehouse cannot be read."""


def _stamp_path(home: Home) -> Path:
    return home.root / ".warehouse.published"


def stamp_of(path: Path) -> dict[str, int]:
    """The size and modification time of a warehouse file: what identifies a published one."""
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def stamp_published(home: Home) -> None:
    """Remember the size and modification time of the warehouse just published."""
    with contextlib.suppress(OSError):  # without a stamp the next check reads every table: slower, not wrong
        _stamp_path(home).write_text(json.dumps(stamp_of(home.warehouse)), encoding="utf-8")


def _as_published(home: Home) -> bool:
    try:
        return json.loads(_stamp_path(home).read_text(encoding="utf-8")) == stamp_of(home.warehouse)
    except (OSError, ValueError):
        return False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def damage(home: Home) -> str | None:
    """Why the published warehouse cannot be read, or ``None`` (it reads, or there is none yet)."""
    if not home.warehouse.exists():
        return None
    try:
        con = duckdb.connect(str(home.warehouse), read_only=True)
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            return None  # held by a foreign process: not damage (the copy will say so)
        return _first_line(exc)
    try:
        con.execute("SELECT count(*) FROM meta.file_registry").fetchone()
        if not _as_published(home):
            tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
            for schema, table in tables:
                con.execute(f'SELECT bit_xor(hash(t)) FROM "{schema}"."{table}" AS t').fetchone()
    except duckdb.Error as exc:
        return _first_line(exc)
    finally:
        con.close()
    if not _as_published(home):
        stamp_published(home)  # read whole: it is what it is; the next check need not read it again
    return None


def set_aside(home: Home) -> Path:
    """Rename the damaged warehouse to ``warehouse.duckdb.damaged-<time>``; the caller holds the write lock."""
    aside = home.warehouse.with_name(f"warehouse.duckdb.damaged-{datetime.now(UTC):%Y%m%dT%H%M%S}")
    os.replace(home.warehouse, aside)
    with contextlib.suppress(OSError):
        home.warehouse.with_name("warehouse.duckdb.wal").unlink()
        _stamp_path(home).unlink()
    return aside


def damaged_message(home: Home, reason: str) -> str:
    """One sentence for a command that needs the published warehouse and cannot read it."""
    return (f"the warehouse {home.warehouse} cannot be read ({reason}); it is derived data: "
            f"`pledgewatch refresh` keeps the damaged file aside and rebuilds it from raw/")
