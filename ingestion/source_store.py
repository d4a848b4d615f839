"""Publisher files as stored under ``raw/sources/<source>/``, byte for byte, with their options.

Each file is stored as ``<as_of or sha256[:12]>_<original name>`` so releases never
overwrite each other (publishers reuse names), and ``releases.csv`` beside them records
the options each was ingested with, so ``refresh`` maps it again in exactly the same way.
Its place in the ingestion order is in ``raw/ingest_order.csv`` like every raw file.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ingestion.home import Home
from ingestion.raw_files import list_folder
from ingestion.sources import source_formats
from ingestion.sources.base import SourceOptions

MANIFEST = "releases.csv"
FIELDS = ("file", "sha256", "as_of", "importer", "release", "origin", "stored_at")


@dataclass(frozen=True)
class StoredRelease:
    """One stored publisher file and the options it is mapped with."""

    source: str
    path: Path
    sha256: str | None
    options: SourceOptions


def sources_dir(home: Home) -> Path:
    """``raw/sources``."""
    return home.raw / "sources"


def source_dir(home: Home, source: str) -> Path:
    """``raw/sources/<source>``."""
    return sources_dir(home) / source


def stored_name(original: str, sha256: str, as_of: date | None) -> str:
    """The name a release is stored under: ``<as_of or sha256[:12]>_<original name>``."""
    return f"{as_of.isoformat() if as_of else sha256[:12]}_{original}"


def read_manifest(home: Home, source: str) -> dict[str, dict[str, str]]:
    """``releases.csv`` of a source: file name -> its recorded fields."""
    path = source_dir(home, source) / MANIFEST
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def record_release(home: Home, source: str, file_name: str, sha256: str, options: SourceOptions) -> None:
    """Add or update a file's entry in ``releases.csv``, atomically."""
    entries = read_manifest(home, source)
    entries[file_name] = {
        "file": file_name, "sha256": sha256, **options.stored(),
        "stored_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    folder = source_dir(home, source)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".releases.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=FIELDS)
            writer.writeheader()
            for entry in sorted(entries.values(), key=lambda e: e["file"]):
                writer.writerow({k: entry.get(k, "") for k in FIELDS})
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / MANIFEST)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stored_releases(home: Home, dataset: str) -> list[StoredRelease]:
    """Publisher files stored for the formats of ``dataset``, with their recorded options."""
    releases: list[StoredRelease] = []
    for fmt in source_formats().values():
        if fmt.dataset != dataset:
            continue
        folder = source_dir(home, fmt.name)
        if not folder.is_dir():
            continue
        manifest = read_manifest(home, fmt.name)
        files, _odd = list_folder(folder, home.root, suffixes=None)  # odd entries: reported by the sync
        for path in files:
            entry = manifest.get(path.name, {})
            options = SourceOptions.from_stored(entry)
            releases.append(StoredRelease(fmt.name, path, entry.get("sha256") or None, options))
    return releases


def identical_release(home: Home, source: str, sha256: str, importer: str | None = None) -> str | None:
    """The latest stored release of ``source`` (for ``importer``), if its bytes are ``sha256``: its path."""
    entries = [e for e in read_manifest(home, source).values() if (e.get("importer") or None) == importer]
    if not entries:
        return None
    latest = max(entries, key=lambda e: (e.get("stored_at", ""), e["file"]))
    if latest["sha256"] != sha256:
        return None
    return f"{home.relative(source_dir(home, source))}/{latest['file']}"
