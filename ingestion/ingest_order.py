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


class IngestOrderError(Exception):
    """``raw/ingest_order.csv`` cannot be read; the message says where and what to do."""


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
        if not path.exists():
            return cls(path, entries)
        advice = (f"restore {path} from a backup, or delete it: the order of the files already loaded is then "
                  "taken from the warehouse's file registry")
        try:
            with path.open(newline="", encoding="utf-8") as fh:
                reader = csv.DictReader(fh)
                if tuple(reader.fieldnames or ()) != FIELDS:
                    raise IngestOrderError(f"{path}: the header is {reader.fieldnames}, not {list(FIELDS)}; {advice}")
                for row in reader:
                    seq, name, sha = row["seq"], row["source_file"], row["source_sha256"]
                    if not (seq or "").isdigit() or not name or not sha:
                        raise IngestOrderError(f"{path}, line {reader.line_num}: {row} is not a seq, file and "
                                               f"SHA-256; {advice}")
                    if name in entries:
                        raise IngestOrderError(f"{path}, line {reader.line_num}: {name} is listed twice; {advice}")
                    entries[name] = (int(seq), sha)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise IngestOrderError(f"{path} cannot be read ({exc}); {advice}") from None
        return cls(path, entries)

    def reconcile(self, loaded: dict[str, tuple[int, str]]) -> list[str]:
        """Take the warehouse's order for files it has loaded (``loaded``: file -> (seq, sha256) from its file
        registry) where this file lost or contradicts it; what was put right, for the run to say loudly."""
        warnings: list[str] = []
        missing = sorted(name for name in loaded if name not in self.entries)
        moved = sorted(name for name in loaded if name in self.entries and self.entries[name] != loaded[name]
                       and self.entries[name][1] == loaded[name][1])
        for name in (*missing, *moved):
            self.entries[name] = loaded[name]
        if missing:
            warnings.append(f"{self.path.name} did not list {len(missing)} loaded file(s) "
                            f"({', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}): their order was "
                            "taken from the warehouse's file registry, so the latest report of each pledge and "
                            "statement stays as it was")
        if moved:
            warnings.append(f"{self.path.name} disagreed with the warehouse's file registry on the order of "
                            f"{', '.join(moved[:3])}{', ...' if len(moved) > 3 else ''}: the registry's order "
                            "was kept (the order in which the files were loaded)")
        return warnings

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
