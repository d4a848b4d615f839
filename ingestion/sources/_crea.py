"""Pieces shared by the two CREA formats (``crea-values``, ``crea-shipments``); not a format itself.

CREA's files are written by R (``write.csv``): dates ``YYYY-MM-DD``, plain numbers (sometimes with
an exponent), ``NA`` for a missing value. Quantities are summed as exact decimals (38 digits, 16
after the point), so a month's total does not depend on the order of the daily rows, and are
written back as plain decimal text.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from ingestion.normalize import countries
from ingestion.normalize.values import parse_date
from ingestion.readers import ROW, UnreadableFile
from ingestion.sources.base import SKIPPED_SCHEMA

#: Exact type of summed quantities (EUR, tonnes): 22 digits before the point, 16 after (CREA writes at most 14).
DECIMAL = pl.Decimal(38, 16)
#: A number as R writes it: digits, an optional point and fraction, an optional exponent.
PLAIN_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
#: Texts R writes for a missing number.
MISSING_NUMBERS = ("NA", "NaN")
#: Names CREA gives aggregates that are not a country, bloc or region, with what they stand for (by key).
CREA_AGGREGATES = {"others": "CREA's remainder of all other countries"}


@dataclass(frozen=True)
class Check:
    """One rule a publisher row must pass to be mapped: the column it is about, when it fails, why."""

    column: str
    failed: pl.Expr
    reason: pl.Expr | str


def select_columns(frame: pl.DataFrame, names: Sequence[str], fmt: str) -> pl.DataFrame:
    """``__row`` and the columns ``names``, found after trimming and ignoring case, renamed to ``names``.

    A column missing means the file is not of the format: :class:`UnreadableFile` names it.
    """
    by_key = {c.strip().lower(): c for c in frame.columns if c != ROW}
    missing = [n for n in names if n.lower() not in by_key]
    if missing:
        raise UnreadableFile(f"not a {fmt} file: column(s) {', '.join(map(repr, missing))} missing")
    return frame.select(pl.col(ROW), *(pl.col(by_key[n.lower()]).alias(n) for n in names))


def quantity(text: pl.Expr) -> pl.Expr:
    """A plain number as an exact decimal; null when missing or not a number."""
    trimmed = text.str.strip_chars()
    return pl.when(trimmed.str.contains(PLAIN_NUMBER)).then(trimmed.cast(DECIMAL, strict=False))


def quantity_checks(column: str, what: str) -> list[Check]:
    """Checks of a quantity column: present, a number, not negative (``what`` names it in reasons)."""
    text = pl.col(column).str.strip_chars()
    value = quantity(pl.col(column))
    missing = text.is_null() | (text == "") | text.is_in(MISSING_NUMBERS)
    return [
        Check(column, missing, f"no {what} in {column!r} (empty or NA)"),
        Check(column, value.is_null(), f"{what} in {column!r} is not a number"),
        Check(column, value < 0, f"{what} in {column!r} is negative; the contract's figures are >= 0"),
    ]


def date_check(column: str = "date") -> Check:
    """The row's day must be a date (CREA writes ``YYYY-MM-DD``)."""
    return Check(column, parse_date(pl.col(column)).is_null(), "not a date: CREA writes YYYY-MM-DD")


def unit_check(column: str, accepted: Collection[str], expected: str) -> Check:
    """The row's unit must be one of ``accepted`` (compared trimmed, case-insensitive)."""
    unit = pl.col(column).str.strip_chars().str.to_lowercase()
    failed = ~unit.is_in([a.lower() for a in accepted]).fill_null(False)
    return Check(column, failed, f"unit is not {expected}: the figures cannot be read as {expected}")


def split_failures(frame: pl.DataFrame, checks: Sequence[Check]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows passing every check, and the others as skipped rows (each with its first failing check)."""
    failing = pl.coalesce([pl.when(c.failed.fill_null(True)).then(pl.lit(i)) for i, c in enumerate(checks)])
    flagged = frame.with_columns(failing.alias("_failed"))

    def pick(attr: str) -> pl.Expr:
        """The column name, value or reason of the first failing check."""
        expr = pl.lit(None, pl.String)
        for i in reversed(range(len(checks))):
            check = checks[i]
            part = {
                "column": pl.lit(check.column),
                "value": pl.col(check.column).cast(pl.String),
                "reason": check.reason if isinstance(check.reason, pl.Expr) else pl.lit(check.reason),
            }[attr]
            expr = pl.when(pl.col("_failed") == i).then(part).otherwise(expr)
        return expr.cast(pl.String).alias(attr)

    bad = flagged.filter(pl.col("_failed").is_not_null())
    skips = bad.select(pl.col(ROW).cast(pl.Int64).alias("row"), pick("column"), pick("value"), pick("reason"))
    ok = flagged.filter(pl.col("_failed").is_null()).drop("_failed")
    return ok, skips.cast(SKIPPED_SCHEMA).sort("row")


def resolve_places(values: pl.Series, allowed_kinds: Sequence[str], role: str,
                   explicit: dict[str, str] | None = None) -> pl.DataFrame:
    """Each distinct value of ``values``: ``value``, ``code`` (null unless of an allowed kind), ``problem``.

    ``explicit`` maps names this publisher means in its own way (by :func:`countries.key_of`) to
    codes, before any alias: CREA's ``EU`` is the member states together, its ``Others`` its
    remainder of the world. ``problem`` says why a value cannot be the ``role`` (an aggregate, a
    region, an unknown name with the closest known names); it is null for a value that resolves.
    """
    distinct = values.unique().drop_nulls()
    resolved = countries.resolve(distinct, allowed_kinds=allowed_kinds)
    mapped = {countries.key_of(v): c for v, c in (explicit or {}).items()}
    resolved = resolved.with_columns(
        pl.coalesce(countries.country_key(pl.col("value")).replace_strict(mapped, default=None, return_dtype=pl.String),
                    pl.col("code")).alias("code")
    )
    allowed = english_or(allowed_kinds)
    problems = []
    for value, code, kind in resolved.iter_rows():  # one per distinct name: a handful
        if code is not None:
            problems.append(None)
        elif (aggregate := CREA_AGGREGATES.get(countries.key_of(value))) is not None:
            problems.append(f"{value!r} is {aggregate}, not a {allowed}")
        elif kind is not None:
            article = "an" if kind[0] in "aeiou" else "a"
            problems.append(f"{value!r} is {article} {kind}; the {role} must be a {allowed}")
        else:
            hints = countries.suggest(value)
            hint = f" (did you mean {' or '.join(map(repr, hints))}?)" if hints else ""
            problems.append(f"{value!r} is not a known {allowed}{hint}")
    return resolved.select("value", "code").with_columns(pl.Series("problem", problems, dtype=pl.String))


def english_or(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def place_check(column: str, role: str) -> Check:
    """The row's ``column`` must resolve; use after joining :func:`resolve_places` as ``_code``/``_problem``."""
    reason = pl.coalesce(pl.col("_problem"), pl.lit(f"no {role} given"))
    return Check(column, pl.col("_code").is_null(), reason)


def join_places(frame: pl.DataFrame, column: str, places: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with the ``_code`` and ``_problem`` of its ``column`` (from :func:`resolve_places`)."""
    renamed = places.rename({"value": column, "code": "_code", "problem": "_problem"})
    return frame.join(renamed, on=column, how="left", maintain_order="left")


def decimal_text(value: pl.Expr) -> pl.Expr:
    """An exact decimal as plain text without trailing zeros (``1234.5``, ``0``)."""
    return value.cast(DECIMAL).cast(pl.String).str.replace(r"0+$", "").str.replace(r"\.$", "")


def month_text(day: pl.Expr) -> pl.Expr:
    """The ``YYYY-MM`` of a date."""
    return day.dt.strftime("%Y-%m")


def is_partial_month(days: pl.Series) -> pl.Expr:
    """``"true"``/``"false"``: the mapped row's ``period`` is a month the file covers only in part."""
    return pl.col("period").is_in(sorted(partial_months(days))).cast(pl.String)


def day_range(days: pl.Series) -> tuple[date | None, date | None]:
    """The first and last day of the file's mapped rows."""
    first, last = days.min(), days.max()
    return (first if isinstance(first, date) else None, last if isinstance(last, date) else None)


def partial_months(days: pl.Series) -> set[str]:
    """Months (``YYYY-MM``) the file covers only in part: its first month if it starts after the 1st,
    its last month if it ends before the month's last day."""
    first, last = days.min(), days.max()
    partial: set[str] = set()
    if isinstance(first, date) and first.day != 1:
        partial.add(first.strftime("%Y-%m"))
    if isinstance(last, date):
        month_end = pl.Series([last]).dt.month_end().item()
        if last != month_end:
            partial.add(last.strftime("%Y-%m"))
    return partial
