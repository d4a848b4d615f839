"""One writer at a time, builds in a copy, published by an atomic rename.

Users query ``warehouse.duckdb`` read-only. A run never writes that file: it
copies it into ``build/<run>.duckdb``, loads and rebuilds the models there and,
only when every blocking check has passed, renames the copy over the
published file. Readers keep the state they opened (old or new), never a
half-built one, and never meet a write lock. Writers exclude each other with
a file lock; a second writer waits, saying who holds the lock, then gives up
with :class:`WarehouseBusy`.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion.home import Home
from ingestion.query_limits import QueryLimits

#: Seconds a writer waits for another one before giving up (exit code 3).
DEFAULT_LOCK_TIMEOUT = float(os.environ.get("PLEDGEWATCH_LOCK_TIMEOUT", "300"))


class WarehouseBusy(Exception):
    """Another process holds the warehouse's write lock."""


class WarehouseMissing(Exception):
    """No published warehouse exists in the home yet."""


@dataclass
class _Held:
    fd: int
    count: int


_HELD: dict[Path, _Held] = {}


def _holder(lock_path: Path) -> str:
    try:
        info = json.loads(lock_path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another process"
    if not info:
        return "another process"
    return f"pid {info.get('pid')} ({info.get('command', '?')}, since {info.get('since', '?')})"


def acquire_write_lock(home: Home, *, timeout: float = DEFAULT_LOCK_TIMEOUT,
                       notify: Callable[[str], None] | None = None, command: str | None = None) -> None:
    """Take the home's write lock (re-entrant within a process); wait up to ``timeout`` s."""
    path = home.lock
    held = _HELD.get(path)
    if held:
        held.count += 1
        return
    home.root.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = _holder(path)
            if time.monotonic() >= deadline:
                os.close(fd)
                raise WarehouseBusy(
                    f"warehouse busy: {home.root} is being written by {holder}; "
                    f"gave up after {timeout:.0f}s. Try again when it has finished."
                ) from None
            if not told and notify:
                notify(f"waiting for the warehouse: it is being written by {holder} ...")
                told = True
            time.sleep(0.2)
    os.ftruncate(fd, 0)
    info = {
        "pid": os.getpid(),
        "command": command or " ".join(os.path.basename(a) for a in sys.argv[:2]),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    os.pwrite(fd, json.dumps(info).encode(), 0)
    _HELD[path] = _Held(fd, 1)
    _clear_stale_builds(home)


def release_write_lock(home: Home) -> None:
    """Release one hold of the write lock."""
    held = _HELD.get(home.lock)
    if not held:
        return
    held.count -= 1
    if held.count == 0:
        os.ftruncate(held.fd, 0)
        fcntl.flock(held.fd, fcntl.LOCK_UN)
        os.close(held.fd)
        del _HELD[home.lock]


def holds_write_lock(home: Home) -> bool:
    """True if this process holds the home's write lock."""
    return home.lock in _HELD


def _clear_stale_builds(home: Home) -> None:
    """What a killed writer left: working copies and half-copied files under ``raw/``.

    Only the lock holder writes there, so everything found now is stale.
    """
    if home.build_dir.exists():
        for leftover in home.build_dir.iterdir():
            leftover.unlink(missing_ok=True)
    if home.raw.exists():
        for pattern in (".*.partial", ".ingest_order.*.tmp"):
            for leftover in home.raw.rglob(pattern):
                leftover.unlink(missing_ok=True)


def build_path(home: Home, run_id: str) -> Path:
    """The working copy of the run holding the lock (one path, so dbt's partial parsing works)."""
    return home.build


def start_build(home: Home, run_id: str) -> Path:
    """Copy the published warehouse to the run's working copy (once per run)."""
    path = build_path(home, run_id)
    if path.exists():
        return path
    home.build_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".copying")
    if home.warehouse.exists():
        shutil.copyfile(home.warehouse, partial)
    else:
        duckdb.connect(str(partial)).close()
    os.replace(partial, path)
    return path


def publish_build(home: Home, run_id: str) -> None:
    """Make the run's working copy the published warehouse, atomically."""
    path = build_path(home, run_id)
    con = duckdb.connect(str(path))
    con.execute("CHECKPOINT")
    con.close()
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(path, home.warehouse)
    directory = os.open(home.root, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def discard_build(home: Home, run_id: str) -> None:
    """Drop the run's working copy (the published warehouse stays as it was)."""
    path = build_path(home, run_id)
    for leftover in (path, path.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)


def connect_readonly(home: Home, limits: QueryLimits | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse that cannot reach outside it nor write anywhere.

    ``limits`` (default: half the memory, no spilling to disk) are set before the configuration is locked.
    """
    if not home.warehouse.exists():
        raise WarehouseMissing(
            f"no warehouse at {home.warehouse}: build it with `pledgewatch refresh` (or `make run`)"
        )
    return duckdb.connect(
        str(home.warehouse),
        read_only=True,
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            **(limits or QueryLimits.default()).config(),
            "lock_configuration": True,
        },
    )
