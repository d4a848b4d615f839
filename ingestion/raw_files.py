"""The files under ``<home>/raw/``: what counts as a stored file, and what is an odd entry.

Everything that reads ``raw/`` lists it here, so one rule decides what is loaded: a regular file
(not a link, directory, FIFO or device) whose name does not start with a dot. Anything else that
looks like an input (a link named ``x.csv``, a directory named ``y.csv``, a FIFO) is an odd entry:
it is reported on its own, with a reason, and never read (a FIFO would block a reader forever, a
link could lead outside the home). Files that vanish or cannot be read between listing and
reading are reported the same way by the reader.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ingestion.readers import SUFFIXES

#: Files under raw/ that are bookkeeping, not inputs.
BOOKKEEPING = frozenset({"ingest_order.csv", "releases.csv"})


@dataclass(frozen=True)
class OddEntry:
    """Something under ``raw/`` that is not a stored file: its path (relative to the home) and why."""

    path: str
    reason: str


def classify(path: Path, home_root: Path) -> str | None:
    """Why ``path`` is not a stored file (None when it is a regular file); never follows a link or opens it."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "it disappeared while raw/ was being read"
    except OSError as exc:
        return f"it cannot be examined ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "a link to nothing (a broken link); store the file itself under raw/"
        inside = target.is_relative_to(home_root)
        return ("a link to a file inside the home; store the file itself under raw/" if inside
                else "a link to a file outside the home; nothing outside the home is read")
    if stat.S_ISDIR(info.st_mode):
        return "a directory, not a file"
    if stat.S_ISFIFO(info.st_mode):
        return "a FIFO (named pipe), not a file; it is not read"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a socket or device); it is not read"
    return None


def list_folder(folder: Path, home_root: Path,
                suffixes: tuple[str, ...] | None = SUFFIXES) -> tuple[list[Path], list[OddEntry]]:
    """Regular files of ``folder`` (with an input suffix; any name where ``suffixes`` is None), sorted, and the
    odd entries: anything else there that looks like an input (a link, a FIFO, a directory named like a file)."""
    files: list[Path] = []
    odd: list[OddEntry] = []
    if not folder.is_dir() or folder.is_symlink():
        return files, odd
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name in BOOKKEEPING:
            continue
        wanted = suffixes is None or path.suffix.lower() in suffixes
        reason = classify(path, home_root)
        if reason is None:
            if wanted:
                files.append(path)
        elif wanted or not path.is_dir():
            odd.append(OddEntry(path.relative_to(home_root).as_posix(), reason))
    return files, odd


def file_sha256(path: Path, *, follow_links: bool = False, copy_to: Path | None = None) -> str:
    """SHA-256 of a regular file's bytes, opened without following a link unless ``follow_links`` (a file a user
    names may be one). With ``copy_to``, those very bytes are also written there and flushed to disk: one read,
    so the copy holds exactly what was hashed, even if the file changes meanwhile."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | (0 if follow_links else os.O_NOFOLLOW))
    with os.fdopen(fd, "rb") as fh, (copy_to.open("wb") if copy_to is not None else contextlib.nullcontext()) as out:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            if out is not None:
                out.write(block)
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
    return digest.hexdigest()
