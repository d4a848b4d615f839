"""Where accepted files are kept and rejected ones put aside: ``raw/`` and ``quarantine/``.

An accepted extract is stored as ``raw/<dataset>/<its name>``; a publisher's file byte for byte
as ``raw/sources/<source>/<as_of or sha256[:12]>_<name>`` with its options in ``releases.csv``
(:mod:`ingestion.source_store`). A rejected file is copied to ``quarantine/<dataset>/`` beside
``<file>.errors.csv`` (file, row, column, value, check, reason). Every copy is atomic: a crash
leaves the old file or the new one, never a part.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from ingestion.home import Home
from ingestion.prepare import PreparedFile
from ingestion.problems import problems_to_csv
from ingestion.raw_files import file_sha256
from ingestion.source_store import record_release, source_dir, stored_name


def stored_path(home: Home, prepared: PreparedFile) -> Path:
    """Where a file is (or would be) stored under the home."""
    if prepared.is_release:
        return source_dir(home, prepared.source) / stored_name(prepared.path.name, prepared.sha256,
                                                               prepared.options.as_of)
    return home.dataset_dir(prepared.dataset.name) / prepared.path.name


def stored_as(home: Home, prepared: PreparedFile) -> str:
    """The file's identity once stored: its path relative to the home (``raw/...``)."""
    return stored_path(home, prepared).relative_to(home.root).as_posix()


def store(home: Home, prepared: PreparedFile) -> Path:
    """Store an accepted file under ``raw/`` (a release with its options); its stored path."""
    target = stored_path(home, prepared)
    needed = prepared.path.resolve() != target.resolve() and not _holds(target, prepared.sha256)
    if needed and (prepared.stored_bytes is None or not _move_into_place(prepared.stored_bytes, target)):
        copy_atomically(prepared.path, target)
    if prepared.is_release:
        record_release(home, prepared.source, target.name, prepared.sha256, prepared.options)
    return target


def _holds(target: Path, sha256: str) -> bool:
    """True when ``target`` is a regular file with these bytes already (storing it again would only touch it)."""
    try:
        return target.is_file() and not target.is_symlink() and file_sha256(target) == sha256
    except OSError:
        return False


def _move_into_place(copy: Path, target: Path) -> bool:
    """Rename ``copy`` (the file's bytes, already flushed to disk by the validation) to ``target``, atomically; False
    where it cannot be (gone, or on another file system), and the file is then copied as usual."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(copy, target)
    except OSError:
        return False
    return True


def copy_atomically(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` atomically: a crash leaves the old file or the new, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    with partial.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)


def quarantine(home: Home, prepared: PreparedFile) -> Path:
    """Copy a rejected file to ``quarantine/<dataset>/`` beside ``<file>.errors.csv``; return the copy."""
    folder = home.quarantine / prepared.dataset.name
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{stamp}_{prepared.path.name}"
    try:
        if prepared.path.is_file() and not prepared.path.is_symlink():
            shutil.copyfile(prepared.path, target)
    except OSError:
        pass  # unreadable or gone: the report says why, the copy is a convenience
    target.with_name(target.name + ".errors.csv").write_text(problems_to_csv(prepared.problems), encoding="utf-8")
    return target
