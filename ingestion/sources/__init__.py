"""Publisher formats of SOURCES.md, one module each (every module but ``base`` declares ``FORMAT``).

Adding a format is adding a module here (and its reference data): it is found by name.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ingestion.sources.base import SourceFormat


@cache
def source_formats() -> dict[str, SourceFormat]:
    """Every publisher format by name, in module order."""
    formats: dict[str, SourceFormat] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        fmt = getattr(module, "FORMAT", None)
        if isinstance(fmt, SourceFormat):
            if fmt.name in formats:
                raise ValueError(f"publisher format {fmt.name!r} is declared twice")
            formats[fmt.name] = fmt
    return formats


def get_source(name: str) -> SourceFormat:
    """The format called ``name``; a clear error lists the known ones."""
    formats = source_formats()
    if name not in formats:
        raise KeyError(f"unknown source {name!r}; known sources: {', '.join(formats) or 'none'}")
    return formats[name]


def recognise(columns: Sequence[str]) -> SourceFormat | None:
    """The format whose header ``columns`` carry (the one with the most specific header if several)."""
    matches = [f for f in source_formats().values() if f.recognises(columns)]
    return max(matches, key=lambda f: len(f.header)) if matches else None


def sniff(path: Path) -> SourceFormat | None:
    """The format that recognises a file without a header by its shape, if exactly one does."""
    matches = [f for f in source_formats().values() if f.sniff is not None and f.sniff(path)]
    return matches[0] if len(matches) == 1 else None


def closest(columns: Sequence[str]) -> tuple[SourceFormat, list[str]] | None:
    """The format whose header shares most with ``columns``, and the columns it misses."""
    formats = list(source_formats().values())
    if not formats:
        return None
    best = min(formats, key=lambda f: (len(f.missing_columns(columns)) / len(f.header), f.name))
    return best, best.missing_columns(columns)
