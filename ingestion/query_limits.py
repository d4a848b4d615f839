"""Limits of a read-only query (``pledgewatch query``): memory, threads and time, each with a clear refusal.

A query never writes anything: DuckDB may not spill to disk (``temp_directory`` empty), so a
query that needs more memory than its limit stops instead of writing temporary files in the
home, the working directory or elsewhere. The memory limit defaults to half the machine's
memory (or of the container's limit, where lower); the time limit to 300 s, enforced by
interrupting the connection from a timer.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

#: share of the machine's memory a query may use unless told otherwise
MEMORY_SHARE = 0.5
#: seconds a query may run unless told otherwise
DEFAULT_TIMEOUT = 300.0
#: most threads a query uses (each holds buffers of its own; the rest of the machine keeps working)
MAX_THREADS = 8
MEMORY_VARIABLE = "PLEDGEWATCH_QUERY_MEMORY_LIMIT"
TIMEOUT_VARIABLE = "PLEDGEWATCH_QUERY_TIMEOUT"

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_CGROUP_LIMITS = (Path("/sys/fs/cgroup/memory.max"), Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"))


class QueryStopped(Exception):
    """A query was stopped by its memory or time limit."""


def machine_memory() -> int:
    """Bytes of memory this process can have: the machine's, or its container's limit where lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in _CGROUP_LIMITS:
        try:
            text = path.read_text(encoding="ascii").strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return total


def default_threads() -> int:
    """Threads of a query: the cores this process may use, at most :data:`MAX_THREADS`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS))


def parse_size(text: str) -> int:
    """Bytes of a size such as ``2GB``, ``500 MiB``, ``1.5g`` (binary units: 1 GB = 1 GiB) or ``25%`` of memory."""
    value = text.strip().lower()
    percent = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", value)
    if percent and 0 < float(percent.group(1)) <= 100:
        return int(machine_memory() * float(percent.group(1)) / 100)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|(b)?)", value)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"not a memory size: {text!r} (e.g. 2GB, 500MB or 25%)")
    return int(float(match.group(1)) * _UNITS[match.group(2) or match.group(3) or ""])


def format_size(size: int) -> str:
    """A size for people: ``2.0 GiB``, ``50.0 MiB``."""
    for unit, factor in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"


@dataclass(frozen=True)
class QueryLimits:
    """How much memory (bytes), how many threads and how long (seconds; 0: no limit) one query may take."""

    memory: int
    threads: int
    timeout: float

    @classmethod
    def default(cls) -> QueryLimits:
        """Half the memory, no time limit: the limits of the CLI's own read-only connections."""
        return cls(memory=int(machine_memory() * MEMORY_SHARE), threads=default_threads(), timeout=0)

    @classmethod
    def resolve(cls, memory: str | None = None, timeout: float | None = None) -> QueryLimits:
        """The limits asked for, else ``$PLEDGEWATCH_QUERY_MEMORY_LIMIT``/``_TIMEOUT``, else the defaults.

        Raises ValueError naming the option or variable that is not a size or a number of seconds.
        """
        memory_text = memory or os.environ.get(MEMORY_VARIABLE)
        try:
            limit = parse_size(memory_text) if memory_text else int(machine_memory() * MEMORY_SHARE)
        except ValueError as exc:
            where = "--memory-limit" if memory else f"${MEMORY_VARIABLE}"
            raise ValueError(f"{where}: {exc}") from None
        if timeout is None:
            text = os.environ.get(TIMEOUT_VARIABLE)
            try:
                timeout = float(text) if text else DEFAULT_TIMEOUT
            except ValueError:
                raise ValueError(f"${TIMEOUT_VARIABLE}: not a number of seconds: {text!r}") from None
        if timeout < 0:
            raise ValueError(f"the time limit must be 0 (none) or more seconds, not {timeout:g}")
        return cls(memory=limit, threads=default_threads(), timeout=timeout)

    def config(self) -> dict[str, str | int]:
        """DuckDB settings that apply the memory and thread limits, with spilling to disk off."""
        return {"memory_limit": f"{self.memory}B", "threads": self.threads, "temp_directory": ""}


def run_query(con: duckdb.DuckDBPyConnection, sql: str, limits: QueryLimits) -> tuple[list[str] | None, list[tuple]]:
    """Column names (None for a statement without a result) and rows of ``sql``, within ``limits``.

    Raises :class:`QueryStopped` when the query runs out of time or memory; other DuckDB errors pass.
    """
    timer = threading.Timer(limits.timeout, con.interrupt) if limits.timeout else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description is not None else None
        rows = cursor.fetchall() if columns is not None else []
    except duckdb.InterruptException:
        raise QueryStopped(f"query stopped: it ran longer than {limits.timeout:g} s (--timeout); "
                           "narrow it or raise the limit") from None
    except duckdb.OutOfMemoryException:
        raise QueryStopped(f"query stopped: it needed more than {format_size(limits.memory)} of memory "
                           "(--memory-limit); narrow it or raise the limit") from None
    except MemoryError:
        raise QueryStopped("query stopped: its result does not fit in this machine's memory; "
                           "narrow it (e.g. with LIMIT) or write it with --format csv") from None
    finally:
        if timer is not None:
            timer.cancel()
    return columns, rows
