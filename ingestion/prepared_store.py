"""Validated files handed from the command that validated them to the run that loads them.

``pledgewatch ingest`` validates its files before it starts a Dagster run (so a rejected file is
reported in a second, without one). The accepted rows are written once as Parquet parts
(:mod:`ingestion.row_parts`; a big file's as it was parsed) under ``<home>/build/prepared/``, named by
the file as it is on disk (path, size, modification time) and by how it was read (the dataset, or the
publisher format and its options), with the problems, skipped rows and suite outcomes beside them (and an
extract's bytes as they were hashed, copied while it was parsed, for the run to move under ``raw/``). The
run's load finds them there instead of validating the file again, whichever process runs it (the CLI's,
a run started from the UI), and has DuckDB insert them from there. The folder belongs to the holder of
the write lock and is cleared by the next writer.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from ingestion import row_parts
from ingestion.datasets import get_dataset
from ingestion.prepare import PreparedFile
from ingestion.prepare_source import options_json
from ingestion.problems import Problem
from ingestion.sources.base import SourceOptions
from ingestion.validation.expectations import CheckOutcome

#: The file's bytes as the validation hashed them (:attr:`PreparedFile.stored_bytes`), in a saved result's folder.
BYTES = "file.bytes"


def kind_of(prepared: PreparedFile, strict: bool = False) -> str:
    """How a file was read: its dataset, or its publisher format with the options it was mapped with."""
    if prepared.is_release:
        return source_kind(prepared.source, prepared.options, strict)
    return prepared.dataset.name


def source_kind(source: str, options: SourceOptions, strict: bool) -> str:
    """The kind of a publisher file read as ``source`` with ``options``."""
    return f"source:{source}:{options_json(options)}:{strict}"


def _folder(root: Path, path: Path, kind: str) -> Path:
    stat = path.stat()
    key = json.dumps([str(path.resolve()), stat.st_size, stat.st_mtime_ns, kind])
    return root / hashlib.sha256(key.encode()).hexdigest()[:32]


def save(root: Path, prepared: PreparedFile, *, strict: bool = False) -> Path:
    """Write a validated file's result under ``root`` for the run that loads it (in this process or another: a
    run started from the UI or a sensor reuses it as well); the folder written. The rows are written as Parquet
    (:mod:`ingestion.row_parts`); rows already on disk (a big file's) are moved there, not written again."""
    folder = _folder(root, prepared.path, kind_of(prepared, strict))
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    meta: dict[str, Any] = {
        "path": str(prepared.path), "dataset": prepared.dataset.name, "sha256": prepared.sha256,
        "problems": [asdict(p) for p in prepared.problems], "extra_columns": prepared.extra_columns,
        "outcomes": [_outcome_json(o) for o in prepared.outcomes],
        "has_rows": prepared.rows is not None or prepared.rows_dir is not None,
    }
    if prepared.rows is not None:
        (partial / "rows").mkdir()
        row_parts.write_part(partial / "rows", 0, prepared.rows)
    elif prepared.rows_dir is not None:  # written as the file was parsed (a big one): moved, not rewritten
        shutil.move(prepared.rows_dir, partial / "rows")
        prepared.rows_dir = folder / "rows"
    if prepared.stored_bytes is not None:  # the file as hashed, for the run to store: moved, not copied
        shutil.move(prepared.stored_bytes, partial / BYTES)
        prepared.stored_bytes = folder / BYTES
    if prepared.is_release:
        for name, frame in prepared.side.items():
            frame.write_parquet(partial / f"side_{name}.parquet", compression="lz4")
        meta.update({
            "source": prepared.source, "options": prepared.options.stored(),
            "skipped": [asdict(p) for p in prepared.skipped], "counts": prepared.counts,
            "side": sorted(prepared.side), "data_from": _iso(prepared.data_from), "data_to": _iso(prepared.data_to),
        })
    (partial / "meta.json").write_text(json.dumps(meta, default=str), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder


def load(root: Path, path: Path, kind: str, *, read_rows: bool = True) -> PreparedFile | None:
    """The result saved for ``path`` (as it is on disk now) read as ``kind``, or None.

    Without ``read_rows`` the rows stay on disk (``rows_dir``) for the load to read: a big file's rows are then
    never in this process's memory."""
    try:
        folder = _folder(root, path, kind)
    except OSError:
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    dataset = get_dataset(meta["dataset"])
    stored = folder / "rows" if meta["has_rows"] else None
    rows = row_parts.read(stored) if stored is not None and read_rows else None
    common = {
        "problems": [Problem(**p) for p in meta["problems"]], "extra_columns": meta["extra_columns"],
        "outcomes": [_outcome_of(o) for o in meta["outcomes"]], "rows_dir": None if read_rows else stored,
        "stored_bytes": folder / BYTES if (folder / BYTES).is_file() else None,
    }
    if "source" not in meta:
        return PreparedFile(path, dataset, meta["sha256"], rows, **common)
    return PreparedFile(
        path, dataset, meta["sha256"], rows, **common, source=meta["source"],
        options=SourceOptions.from_stored(meta["options"]),
        side={name: pl.read_parquet(folder / f"side_{name}.parquet") for name in meta["side"]},
        skipped=[Problem(**p) for p in meta["skipped"]], counts=meta["counts"],
        data_from=_date(meta["data_from"]), data_to=_date(meta["data_to"]),
    )


def clear(root: Path) -> None:
    """Forget every saved result (a new writer starts)."""
    shutil.rmtree(root, ignore_errors=True)


def _outcome_json(outcome: CheckOutcome) -> dict[str, Any]:
    data = asdict(outcome)
    data["rows"] = [[row, None if value is None else str(value), first] for row, value, first in outcome.rows]
    return data


def _outcome_of(data: dict[str, Any]) -> CheckOutcome:
    return CheckOutcome(**{**data, "rows": [tuple(r) for r in data["rows"]]})


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
