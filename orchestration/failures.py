"""What a user reads when a command fails: one or two sentences; the traceback goes to a log file.

A failure nobody foresaw still ends in a sentence that says what failed, that the published
warehouse is as it was, and where the details are (``runs/errors/<time>-<command>.log``). A full
disk is told as such, whichever layer met it first (DuckDB, Dagster's SQLite storage, a copy).
"""

from __future__ import annotations

import errno
import re
import shutil
import traceback
from datetime import UTC, datetime
from pathlib import Path

from ingestion.home import Home

_DISK_FULL_TEXT = re.compile(r"no space left on device|database or disk is full|disk quota exceeded|"
                             r"could not write .*: .*space", re.IGNORECASE)
#: Too little room left to trust the home's filesystem with a write (SQLite reports a full disk as an I/O error).
_NEARLY_FULL = 8 * 1024 * 1024


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def nearly_full(home: Home) -> bool:
    """True when the filesystem holding the home has (almost) no space left."""
    try:
        return shutil.disk_usage(home.root).free < _NEARLY_FULL
    except OSError:
        return False


def disk_full(home: Home, error: BaseException | str | None) -> bool:
    """True when ``error`` (an exception, or a run's error text) says, or implies, that the disk is full."""
    if error is None:
        return False
    if isinstance(error, BaseException):
        chain = _chain(error)
        if any(isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT) for e in chain):
            return True
        text = "\n".join(str(e) for e in chain)
    else:
        text = error
    if _DISK_FULL_TEXT.search(text):
        return True
    return "disk i/o error" in text.lower() and nearly_full(home)


def disk_full_message(home: Home) -> str:
    """The sentence for a command stopped by a full disk."""
    return (f"no space left on device under {home.root}; nothing was published; "
            "free space and run the command again")


def write_log(home: Home, command: str, text: str) -> Path | None:
    """Keep ``text`` (a traceback) under ``runs/errors/``; the path, or ``None`` when it cannot be written."""
    folder = home.runs / "errors"
    path = folder / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{command}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return path


def unexpected_failure(home: Home, command: str, exc: BaseException) -> str:
    """Log ``exc`` with its traceback; the two sentences the user reads."""
    log = write_log(home, command, "".join(traceback.format_exception(exc)))
    what = (str(exc).strip().splitlines() or [""])[0][:300]
    kind = type(exc).__name__
    where = f"the details are in {log}" if log else "the details could not be written to disk"
    return (f"pledgewatch {command} failed: {kind}{': ' + what if what else ''}. "
            f"The published warehouse is as it was; {where} (include that file if you report it).")
