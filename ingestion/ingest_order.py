"""The order in which files were ingested, recorded beside them in ``raw/ingest_order.csv``.

Rebuilding the warehouse from ``raw/`` must give the same tables, and the
latest report of a pledge or the latest statement of a day depend on the
order of ingestion, so the order is stored with the files, not in the
warehouse. A file not yet recorded (e.g. bundled or copied in by hand) is
appended in path order when first seen.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "ingest_order.csv"
FIELDS = ("seq", "source_file", "source_sha256")


@dataclass
class IngestOrder:
    """``source_file`` → (seq, sha256) as recorded under ``raw/``."""

    path: Path
    entries: dict[str, tuple[int, str]]

    @classmethod
    def read(cls, raw_dir: Path) -> IngestOrder:
        """The order recorded in ``raw_dir`` (empty if none)."""
        path = raw_dir / FILE_NAME
        entries: dict[str, tuple[int, str]] = {}
        if path.exists():
            with path.open(newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    entries[row["source_file"]] = (int(row["seq"]), row["source_sha256"])
        return cls(path, entries)

    def seq_of(self, source_file: str) -> int | None:
        """Recorded position of ``source_file``."""
        entry = self.entries.get(source_file)
        return entry[0] if entry else None

    def record(self, source_file: str, sha256: str) -> int:
        """Position of this version of the file; a new file or version goes last."""
        entry = self.entries.get(source_file)
        if entry and entry[1] == sha256:
            return entry[0]
        seq = max((s for s, _ in self.entries.values()), default=0) + 1
        self.entries[source_file] = (seq, sha256)
        return seq

    def write(self) -> None:
        """Save atomically (write a temporary file, then rename it over the old one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".ingest_order.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(FIELDS)
                for name, (seq, sha) in sorted(self.entries.items(), key=lambda kv: kv[1][0]):
                    writer.writerow([seq, name, sha])
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
