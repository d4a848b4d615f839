"""``kiel-ust``: the Kiel Institute's Ukraine Support Tracker, data explorer release → ``pledges``.

Publisher: Kiel Institute for the World Economy (IfW Kiel), Ukraine Support Tracker. Each
release is published as ``data/data_explorer.csv`` in the GitHub repository behind the
tracker's website (UkraineSupportTrackerWebsite/ukraine-support-tracker, branch ``main``;
``data-preview/`` there is a test area, not a release). A file is a whole release and
replaces earlier ones (SOURCES.md, "Releases supersede").

Columns: ``country, iso, year, month, total, financial, humanitarian, military,
commitments, to_be_allocated, gdp, pct_gdp``; one row per donor and month (months without
an allocation have no row); money in EUR billion, allocations in Kiel's sense (aid that is
specific and earmarked).

Mapping (SOURCES.md, ``kiel-ust`` → ``pledges``):

- one pledge per row and category (``military``, ``financial``, ``humanitarian``) whose
  value is not zero: ``pledge_id`` ``kiel-ust:<iso>:<YYYY-MM>:<category>`` (``iso`` as the
  file writes it), ``announced_on`` the first day of the month, ``donor`` the code ``iso``
  resolves to (Kiel's ``EU``, the Commission and Council, is the EU's institutions: ``EUU``, not
  its member states together),
  ``recipient`` UKR, ``amount`` the value × 10⁹, ``currency`` EUR, ``status``
  ``allocated``, ``source_name`` "Kiel Institute, Ukraine Support Tracker";
- every row also gives one row of the side table ``pledge_commitments``: ``donor``,
  ``period`` (YYYY-MM), ``commitments`` and ``to_be_allocated`` (× 10⁹, signed:
  ``to_be_allocated`` is negative when earlier commitments are allocated), EUR.

Time: a pledge is dated the first day of its month with ``date_precision`` ``month`` (Kiel gives
months, not days). The release's last month (its data cut-off) is one Kiel has not finished
reporting (later releases revise it): its rows are flagged ``is_partial``. ``data_from``/``data_to``
of the release are its first and last month; the release's number (Kiel: ``29``) is not in this
file: it comes with ``--release`` or, when pulled, from ``release_info.csv`` beside the file.

Amounts are converted exactly: the text (plain or scientific notation, as R may write it) is
read as a decimal with 9 places, no binary floating point, and its decimal point moved 9
places, so amounts are whole euros. A value with more than 9 decimals (finer than one euro)
is rounded to the nearest euro; Kiel writes at most 6, i.e. thousands of euros.

Not mapped, and why:

- ``total`` is the sum of the three categories, ``gdp``/``pct_gdp`` are Kiel's GDP
  scaling and ``country`` is the display name: none is loaded;
- a value of 0 (after rounding to the euro) gives no pledge; such cells are counted
  (``counts["zero_values_not_loaded"]``);
- skipped and reported (``Mapped.skipped``), never guessed: a row whose ``iso`` is empty or
  names no known country or bloc, whose ``year`` is not a four-digit year or ``month`` not
  1-12, or whose donor and month appear on several rows (all of them); a category cell,
  or a ``commitments``/``to_be_allocated`` cell, that is empty or not a number (that
  pledge, or that row's side-table row, is skipped).

Negative category values are passed on as they are (``counts["negative_values"]``): the
``pledges`` contract has ``amount >= 0``, so validation rejects and reports them. The
Release 29 file has none.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from ingestion.datasets.pledges import PLEDGES
from ingestion.normalize import countries
from ingestion.readers import ROW
from ingestion.sources.base import SOURCE_ROWS, Mapped, SourceFormat, SourceOptions, skipped

NAME = "kiel-ust"
SOURCE_NAME = "Kiel Institute, Ukraine Support Tracker"
DEFAULT_URL = (
    "https://raw.githubusercontent.com/UkraineSupportTrackerWebsite/ukraine-support-tracker/main/data/data_explorer.csv"
)
#: Allocation columns, each a pledge category of the same name.
CATEGORIES = ("military", "financial", "humanitarian")
#: Columns of the side table ``pledge_commitments``.
COMMITMENT_COLUMNS = ("commitments", "to_be_allocated")
HEADER = (
    "country", "iso", "year", "month", "total", "financial", "humanitarian", "military",
    "commitments", "to_be_allocated",
)
#: Kinds of entity a donor may be (those the ``pledges`` contract allows).
DONOR_KINDS = ("country", *PLEDGES.column("donor").groups)
#: Decimal places kept when reading EUR billion: 9, i.e. whole euros.
_SCALE = 9

REASON_NO_ISO = "iso is empty; the donor is not guessed from the country name"
REASON_UNKNOWN_ISO = "iso is not an ISO 3166-1 code or a known bloc (Kiel writes EU for the EU institutions)"
REASON_YEAR = "year is not a four-digit year"
REASON_MONTH = "month is not a month number from 1 to 12"
REASON_EMPTY = "empty value; Kiel writes 0 for no allocation, an empty cell is not read as 0"
REASON_NUMBER = "not a number (EUR billion expected)"


def map_kiel_ust(frame: pl.DataFrame, options: SourceOptions) -> Mapped:
    """Map a data explorer release onto ``pledges`` (and the side table ``pledge_commitments``).

    ``options`` is not used: the format needs none (a release names its donors and months).
    """
    frame = _with_keys(_by_header_name(frame))
    row_skips = _row_skips(frame)
    rows = frame.join(row_skips.select(pl.col("row").alias(ROW)).unique(), on=ROW, how="anti")
    duplicates = _duplicate_skips(rows)
    rows = rows.join(duplicates.select(pl.col("row").alias(ROW)), on=ROW, how="anti")
    last = rows.get_column("_period").max() if rows.height else None
    rows = rows.with_columns((pl.col("_period") == pl.lit(last)).fill_null(False).cast(pl.String).alias("_partial"))
    pledges, pledge_skips, counts = _pledges(rows)
    commitments, commitment_skips = _commitments(rows)
    every_skip = pl.concat([row_skips, duplicates, pledge_skips, commitment_skips]).sort("row", "column")
    first = rows.get_column("_period").min() if rows.height else None
    return Mapped(rows=pledges, skipped=every_skip, side={"pledge_commitments": commitments}, counts=counts,
                  data_from=_month_start(first), data_to=_month_end(last))


def _month_start(period: str | None) -> date | None:
    """The first day of a ``YYYY-MM`` month."""
    return date.fromisoformat(f"{period}-01") if period else None


def _month_end(period: str | None) -> date | None:
    """The last day of a ``YYYY-MM`` month."""
    if not period:
        return None
    start = _month_start(period)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _by_header_name(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns this format reads, renamed to their canonical lower-case names (headers are matched trimmed)."""
    wanted = {name.lower(): name for name in HEADER}
    renames = {c: wanted[c.strip().lower()] for c in frame.columns if c.strip().lower() in wanted}
    return frame.select(ROW, *renames).rename(renames)


def _with_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``_iso`` (trimmed), ``_donor`` (resolved code), ``_period`` (YYYY-MM) and ``_month_ok``/``_year_ok``."""
    iso = pl.col("iso").str.strip_chars()
    year = pl.col("year").str.strip_chars()
    month = pl.col("month").str.strip_chars()
    month_number = month.cast(pl.Int64, strict=False)
    framed = frame.with_columns(
        pl.when(iso != "").then(iso).alias("_iso"),
        year.str.contains(r"^\d{4}$").fill_null(False).alias("_year_ok"),
        (month.str.contains(r"^\d{1,2}$") & month_number.is_between(1, 12)).fill_null(False).alias("_month_ok"),
    ).with_columns(
        pl.format("{}-{}", year, month_number.cast(pl.String).str.zfill(2)).alias("_period"),
    )
    isos = framed.get_column("_iso").drop_nulls().unique()
    codes = countries.resolve(isos, allowed_kinds=DONOR_KINDS).select(
        pl.col("value").alias("_iso"), pl.col("code").alias("_donor")
    )
    return framed.join(codes, on="_iso", how="left", maintain_order="left")


def _row_skips(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows whose donor or month cannot be read: one record per bad column."""
    return pl.concat([
        skipped(frame.filter(pl.col("_iso").is_null()), "iso", REASON_NO_ISO),
        skipped(frame.filter(pl.col("_iso").is_not_null() & pl.col("_donor").is_null()), "iso", REASON_UNKNOWN_ISO),
        skipped(frame.filter(~pl.col("_year_ok")), "year", REASON_YEAR),
        skipped(frame.filter(~pl.col("_month_ok")), "month", REASON_MONTH),
    ])


def _duplicate_skips(rows: pl.DataFrame) -> pl.DataFrame:
    """Every row of a donor and month that appears more than once (which one is right is not guessed)."""
    repeated = rows.with_columns(
        pl.col(ROW).cast(pl.String).str.join(";").over("_donor", "_period").alias("_rows"),
    ).filter(pl.len().over("_donor", "_period") > 1)
    reason = pl.format("donor {} and month {} appear on rows {}; Kiel gives one row per donor and month",
                       "_donor", "_period", "_rows")
    return skipped(repeated, "iso", reason)


def whole_euros(billions: pl.Expr) -> pl.Expr:
    """EUR billion as text → whole euros as plain decimal text (exact; null if not a number)."""
    fixed = billions.str.strip_chars().cast(pl.Decimal(38, _SCALE), strict=False).cast(pl.String)
    parts = fixed.str.extract_groups(rf"^(-?)(\d+)\.(\d{{{_SCALE}}})$")
    digits = (parts.struct.field("2") + parts.struct.field("3")).str.strip_chars_start("0")
    return parts.struct.field("1") + pl.when(digits == "").then(pl.lit("0")).otherwise(digits)


def _value_skips(cells: pl.DataFrame, column: pl.Expr) -> pl.DataFrame:
    """Cells (``_text``, ``_euros``) that are empty or not a number, as skipped records of ``column``."""
    bad = cells.filter(pl.col("_euros").is_null())
    reason = pl.when(pl.col("_text").str.strip_chars().fill_null("") == "").then(pl.lit(REASON_EMPTY))
    return bad.select(
        pl.col(ROW).cast(pl.Int64).alias("row"),
        column.cast(pl.String).alias("column"),
        pl.col("_text").alias("value"),
        reason.otherwise(pl.lit(REASON_NUMBER)).alias("reason"),
    )


def _pledges(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, int]]:
    """One pledge per row and non-zero category; the cells skipped; counts of zero and negative values."""
    cells = rows.unpivot(
        on=list(CATEGORIES), index=[ROW, "_iso", "_donor", "_period", "_partial"], variable_name="category",
        value_name="_text",
    ).with_columns(whole_euros(pl.col("_text")).alias("_euros"))
    problems = _value_skips(cells, pl.col("category"))
    numbers = cells.filter(pl.col("_euros").is_not_null())
    zero = numbers.get_column("_euros") == "0"
    pledges = numbers.filter(~zero).select(
        pl.format("{}:{}:{}:{}", pl.lit(NAME), "_iso", "_period", "category").alias("pledge_id"),
        (pl.col("_period") + "-01").alias("announced_on"),
        pl.col("_donor").alias("donor"),
        pl.lit("UKR").alias("recipient"),
        pl.col("category"),
        pl.col("_euros").alias("amount"),
        pl.lit("EUR").alias("currency"),
        pl.lit("allocated").alias("status"),
        pl.lit(SOURCE_NAME).alias("source_name"),
        pl.lit("month").alias("date_precision"),
        pl.col("_partial").alias("is_partial"),
        pl.col(ROW).cast(pl.Int64),
        pl.col(ROW).cast(pl.String).alias(SOURCE_ROWS),
        pl.col("category").replace_strict(CATEGORIES, range(len(CATEGORIES))).alias("_order"),
    ).sort(ROW, "_order").drop("_order")
    counts = {
        "zero_values_not_loaded": int(zero.sum()),
        "negative_values": int(numbers.get_column("_euros").str.starts_with("-").sum()),
    }
    return pledges, problems, counts


def _commitments(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One ``pledge_commitments`` row per donor and month; rows with an unreadable value are skipped."""
    converted = rows.with_columns(whole_euros(pl.col(c)).alias(f"_{c}") for c in COMMITMENT_COLUMNS)
    problems = pl.concat([
        _value_skips(converted.select(ROW, pl.col(c).alias("_text"), pl.col(f"_{c}").alias("_euros")), pl.lit(c))
        for c in COMMITMENT_COLUMNS
    ])
    readable = pl.all_horizontal(pl.col(f"_{c}").is_not_null() for c in COMMITMENT_COLUMNS)
    table = converted.filter(readable).select(
        pl.col("_donor").alias("donor"),
        pl.lit("UKR").alias("recipient"),
        pl.col("_period").alias("period"),
        pl.col("_commitments").alias("commitments"),
        pl.col("_to_be_allocated").alias("to_be_allocated"),
        pl.lit("EUR").alias("currency"),
        pl.lit(SOURCE_NAME).alias("source_name"),
        pl.col("_partial").alias("is_partial"),
        pl.col(ROW).cast(pl.Int64),
        pl.col(ROW).cast(pl.String).alias(SOURCE_ROWS),
    ).sort(ROW)
    return table, problems


def read_release_info(path: Path) -> str | None:
    """The release number in Kiel's ``release_info.csv`` (``release,period,date,label``), e.g. ``29``."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        first = next(csv.DictReader(fh), None)
    release = (first or {}).get("release", "").strip()
    return release or None


FORMAT = SourceFormat(
    name=NAME,
    dataset="pledges",
    publisher="Kiel Institute for the World Economy, Ukraine Support Tracker",
    description="Ukraine Support Tracker data explorer release (data_explorer.csv): allocations to Ukraine "
    "per donor and month in EUR billion, by category, with commitments and commitments not yet allocated.",
    header=HEADER,
    map=map_kiel_ust,
    default_url=DEFAULT_URL,
    documentation_url="https://www.ifw-kiel.de/topics/war-against-ukraine/ukraine-support-tracker/",
    release_file="release_info.csv",
    read_release=read_release_info,
)
