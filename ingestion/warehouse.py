"""One writer at a time, builds in a copy, published by an atomic rename.

Users query ``warehouse.duckdb`` read-only. A run never writes that file: it
copies it into ``build/warehouse.duckdb``, loads and rebuilds the models there and,
only when every blocking check has passed, renames the copy over the
published file. Readers keep the state they opened (old or new), never a
half-built one, and never meet a write lock. Writers exclude each other with
a file lock; a second writer waits, saying who holds the lock, then gives up
with :class:`WarehouseBusy`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion.bulk_writes import connect_build
from ingestion.home import Home
from ingestion.lake import make_live, seal, settle_lake, stage_lake
from ingestion.query_limits import QueryLimits
from ingestion.warehouse_damage import WarehouseDamaged, damaged_message, stamp_of, stamp_published

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
    """Take the home's write lock (re-entrant within a process); wait up to ``timeout`` s.

    The lock is an ``flock`` on the home directory itself, which nobody deletes by accident (a lock
    file is exactly what people remove after a crash, and a second writer would then lock a new
    file beside the first). ``.write.lock`` only tells who holds it.
    """
    held = _HELD.get(home.root)
    if held:
        held.count += 1
        return
    home.root.mkdir(parents=True, exist_ok=True)
    fd = os.open(home.root, os.O_RDONLY | os.O_DIRECTORY)
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = _holder(home.lock)
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
    info = {
        "pid": os.getpid(),
        "command": command or " ".join(os.path.basename(a) for a in sys.argv[:2]),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with contextlib.suppress(OSError):  # who holds the lock is a courtesy; the lock itself is held
        home.lock.write_text(json.dumps(info), encoding="utf-8")
    _HELD[home.root] = _Held(fd, 1)
    _clear_stale_builds(home)


def release_write_lock(home: Home) -> None:
    """Release one hold of the write lock."""
    held = _HELD.get(home.root)
    if not held:
        return
    held.count -= 1
    if held.count == 0:
        with contextlib.suppress(OSError):
            home.lock.write_text("", encoding="utf-8")
        fcntl.flock(held.fd, fcntl.LOCK_UN)
        os.close(held.fd)
        del _HELD[home.root]


def holds_write_lock(home: Home) -> bool:
    """True if this process holds the home's write lock."""
    return home.root in _HELD


def kill_orphans(home: Home) -> list[int]:
    """Stop processes a killed writer left writing this home's build file (a dbt still running); their pids.

    Found by their environment (``PLEDGEWATCH_DB_PATH`` naming the build file), among this user's
    processes; only the lock holder may write the build, so any such process is an orphan.
    """
    killed: list[int] = []
    wanted = f"PLEDGEWATCH_DB_PATH={home.build}".encode()
    proc = Path("/proc")
    if not proc.is_dir():
        return killed
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if wanted in environ.split(b"\0"):
            try:
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
            except OSError:
                continue
    return killed


def _clear_stale_builds(home: Home) -> None:
    """What a killed writer left: processes still writing its build, working copies, half-copied files.

    Only the lock holder writes there, so everything found now is stale.
    """
    kill_orphans(home)
    if home.warehouse.exists():
        with contextlib.suppress(OSError, duckdb.Error):  # a damaged warehouse is found and rebuilt by the run
            settle_lake(home, stamp_of(home.warehouse))
    if home.build_dir.exists():
        for leftover in home.build_dir.iterdir():
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
    if home.raw.exists():
        for pattern in (".*.partial", ".ingest_order.*.tmp"):
            for leftover in home.raw.rglob(pattern):
                leftover.unlink(missing_ok=True)


def start_build(home: Home, *, fresh: bool = False) -> Path:
    """The working copy of the writer holding the lock (``build/warehouse.duckdb``, one path so that dbt's
    partial parsing holds): a copy of the published warehouse, or an empty one (``fresh``: a rebuild from
    ``raw/``); made once per run."""
    path = home.build
    if path.exists():
        return path
    home.build_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".copying")
    if home.warehouse.exists() and not fresh:
        shutil.copyfile(home.warehouse, partial)
    else:
        partial.unlink(missing_ok=True)
        duckdb.connect(str(partial)).close()
    os.replace(partial, path)
    return path


def publish_build(home: Home) -> None:
    """Make the working copy the published warehouse, atomically; then its lake (:mod:`ingestion.lake`)."""
    path = home.build
    con = connect_build(path)
    try:
        lake_version = stage_lake(con, home)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())
    seal(lake_version, stamp_of(path))
    os.replace(path, home.warehouse)
    stamp_published(home)
    directory = os.open(home.root, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    make_live(home, lake_version)


def discard_build(home: Home) -> None:
    """Drop the working copy (the published warehouse stays as it was)."""
    path = home.build
    for leftover in (path, path.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)


def discard_leftovers(home: Home) -> None:
    """After a failed command: clear the working copies and temporary files it left, unless another
    writer holds the home now (then they are its own)."""
    try:
        acquire_write_lock(home, timeout=0)  # clears what no live writer owns
    except (WarehouseBusy, OSError):
        return
    release_write_lock(home)


def connect_readonly(home: Home, limits: QueryLimits | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse that cannot reach outside it nor write anywhere.

    ``limits`` (default: half the memory, no spilling to disk) are set before the configuration is locked.
    """
    if not home.warehouse.exists():
        raise WarehouseMissing(
            f"no warehouse at {home.warehouse}: build it with `pledgewatch refresh` (or `make run`)"
        )
    try:
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
    except duckdb.Error as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise WarehouseDamaged(damaged_message(home, reason)) from None
