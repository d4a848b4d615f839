"""What a publisher format is: recognition, options, mapping onto a dataset, default URL.

A format's module declares one :class:`SourceFormat`. Its ``map`` function takes the
publisher's file as read by :func:`ingestion.readers.read_file` (every column as text,
``__row`` the 1-based data row) and returns a :class:`Mapped`: rows in the shape of the
target dataset's extract (text values, contract column names) that then go through the
same normalisation and validation as a hand-written extract, plus the rows it could not
map, each with its source row, value and reason. Mapping is vectorised (polars
expressions, joins, group-bys), never a Python loop per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from ingestion.readers import ROW

#: Column of a mapped frame that lists the publisher rows behind it ("7", "7-9", "7;12;40").
SOURCE_ROWS = "source_rows"

#: Schema of :attr:`Mapped.skipped`.
SKIPPED_SCHEMA = {"row": pl.Int64, "column": pl.String, "value": pl.String, "reason": pl.String}


class SourceOptionError(ValueError):
    """An option the format needs is missing or wrong (e.g. no ``--importer``); the message says what to pass."""


@dataclass(frozen=True)
class SourceOptions:
    """Options a publisher file was ingested with; stored beside it so ``refresh`` maps it the same way."""

    as_of: date | None = None
    #: as the user wrote it (``--importer NL``); the format resolves it.
    importer: str | None = None
    #: the publisher's own name or number of the release (Kiel: ``29``), from ``--release`` or the pull.
    release: str | None = None
    #: where the file was fetched from (``pull``), None for a local file. Provenance only: the same bytes
    #: from another address are the same release.
    origin: str | None = None

    def as_dict(self) -> dict[str, str]:
        """The options that change how the file maps or which release it is, as text (for the manifest)."""
        return {
            "as_of": self.as_of.isoformat() if self.as_of else "",
            "importer": self.importer or "",
            "release": self.release or "",
        }

    def stored(self) -> dict[str, str]:
        """Everything kept in the releases manifest: :meth:`as_dict` and the origin."""
        return {**self.as_dict(), "origin": self.origin or ""}

    @classmethod
    def from_stored(cls, entry: dict[str, str]) -> SourceOptions:
        """Options as :meth:`stored` wrote them (missing fields are empty)."""
        as_of = entry.get("as_of") or None
        return cls(as_of=date.fromisoformat(as_of) if as_of else None, importer=entry.get("importer") or None,
                   release=entry.get("release") or None, origin=entry.get("origin") or None)


@dataclass
class Mapped:
    """A publisher file mapped onto a dataset.

    ``rows``: String columns named as the dataset's contract columns (missing ones are
    treated as empty), plus ``__row`` (Int64, the first publisher row behind the mapped row)
    and ``source_rows`` (String, every publisher row behind it, as a range or list).
    ``skipped``: publisher rows not mapped (``row``, ``column``, ``value``, ``reason``).
    ``side``: further tables the release carries, by dataset name (e.g. ``pledge_commitments``),
    each in the same shape as ``rows``.
    ``counts``: figures for the load report (e.g. rows of other transaction types, not loaded).
    ``data_from``/``data_to``: the first and last day the release's data cover (its cut-off), as the
    file shows them; recorded with the release so every figure can say what it counts.
    """

    rows: pl.DataFrame
    skipped: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=SKIPPED_SCHEMA))
    side: dict[str, pl.DataFrame] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    data_from: date | None = None
    data_to: date | None = None


@dataclass(frozen=True)
class SourceFormat:
    """One publisher format (one module in ``ingestion/sources/``)."""

    name: str
    dataset: str
    publisher: str
    description: str
    #: columns whose presence recognises the format (compared after trimming, case-insensitive).
    header: tuple[str, ...]
    map: Callable[[pl.DataFrame, SourceOptions], Mapped]
    #: where releases are published (None: pull needs ``--from``).
    default_url: str | None = None
    #: the publisher's page that documents the data: every mapped row's ``source_url`` where the
    #: release was not pulled from an address (and the format has no download URL).
    documentation_url: str | None = None
    #: options that must be given (``importer``, ``as_of``).
    requires: tuple[str, ...] = ()
    #: options that make a release distinct (e.g. ``importer`` for crea-shipments): latest per value.
    release_key: tuple[str, ...] = ()
    #: a reader for files :func:`ingestion.readers.read_file` cannot read as they are (no header): same shape.
    read: Callable[[Path], pl.DataFrame] | None = None
    #: recognises a file without a header by its shape (used when no format's header matches).
    sniff: Callable[[Path], bool] | None = None
    #: a file the publisher puts beside each release, naming it (Kiel: ``release_info.csv``), and how to read
    #: the release's name from it: ``pull`` fetches it to record which release it stored.
    release_file: str | None = None
    read_release: Callable[[Path], str | None] | None = None
    #: the file carries no date: ``as_of`` comes from ``--as-of``, else a date in the file name,
    #: else (``pull``) the download date; the mapping rejects a file without one.
    needs_as_of: bool = False

    def url_of(self, options: SourceOptions) -> str | None:
        """The URL a release's rows cite: where it was pulled from, else the download or documentation URL."""
        if options.origin and options.origin.lower().startswith(("http://", "https://")):
            return options.origin
        return self.default_url or self.documentation_url

    def recognises(self, columns: Sequence[str]) -> bool:
        """True when every column of :attr:`header` is present."""
        present = {c.strip().lower() for c in columns}
        return all(h.lower() in present for h in self.header)

    def missing_columns(self, columns: Sequence[str]) -> list[str]:
        """Columns of :attr:`header` absent from ``columns``."""
        present = {c.strip().lower() for c in columns}
        return [h for h in self.header if h.lower() not in present]


def date_in_name(name: str) -> date | None:
    """A ``YYYY-MM-DD`` date in a file name (``sdn_2024-05-03.csv``), if there is exactly one valid date."""
    found = []
    for text in re.findall(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)", name):
        try:
            found.append(date.fromisoformat(text))
        except ValueError:
            continue
    return found[0] if len(set(found)) == 1 else None


def row_ranges(rows: pl.Expr) -> pl.Expr:
    """Aggregation: the sorted rows of a group as ``"7"``, ``"7-9"`` (consecutive) or ``"7;12;40"``.

    Use inside ``group_by().agg()``.
    """
    ordered = rows.sort()
    consecutive = (ordered.max() - ordered.min() + 1) == ordered.len()
    return (
        pl.when(ordered.len() == 1).then(ordered.min().cast(pl.String))
        .when(consecutive).then(pl.format("{}-{}", ordered.min(), ordered.max()))
        .otherwise(ordered.cast(pl.String).str.join(";"))
    )


def skipped(frame: pl.DataFrame, column: str, reason: str | pl.Expr, value: pl.Expr | None = None) -> pl.DataFrame:
    """Rows of ``frame`` as skipped-row records: ``__row``, ``column``, the value of ``column``, ``reason``."""
    return frame.select(
        pl.col(ROW).cast(pl.Int64).alias("row"),
        pl.lit(column).alias("column"),
        (value if value is not None else pl.col(column)).cast(pl.String).alias("value"),
        (reason if isinstance(reason, pl.Expr) else pl.lit(reason)).cast(pl.String).alias("reason"),
    )


def no_skips() -> pl.DataFrame:
    """An empty skipped-rows frame."""
    return pl.DataFrame(schema=SKIPPED_SCHEMA)
