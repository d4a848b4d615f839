"""Vectorised parsers for the contract's shared types (dates, months, money, enums, ...).

Each parser takes a text expression and returns the parsed expression, null
where the text is null *or* does not parse; the caller tells the two apart
(``raw is not null and parsed is null`` is a problem) and words the reason
with :data:`REASONS`.
"""

from __future__ import annotations

import difflib
from functools import cache

import polars as pl
import pycountry

#: Formats accepted for a date, tried in order (EXTRACTS.md "date").
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d %B %Y")

#: Why a value of each type did not parse.
REASONS: dict[str, str] = {
    "date": "not a date: use YYYY-MM-DD (also YYYY/MM/DD, DD.MM.YYYY or '4 September 2025')",
    "month": "not a month: use YYYY-MM (or a date)",
    "money": "not an amount: use digits with an optional decimal point, thousands "
    "separators and an m/bn multiplier (e.g. 1,200,000 or 2.5bn)",
    "decimal": "not a number: use digits with an optional decimal point",
    "integer": "not a whole number",
    "currency": "not an ISO 4217 currency code (e.g. EUR, USD, GBP)",
    "url": "not an http(s) URL",
    "boolean": "not true or false",
}

_NUMBER = r"[+-]?(?:\d{1,3}(?:[, \u00a0\u202f]\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?"
_MULTIPLIER = r"(?i)\s*(bn|m)$"
#: A number as most files write it, cast as it is ([0-9]: ``\d`` would take other scripts' digits too).
_PLAIN_NUMBER = r"^[+-]?[0-9]+(?:\.[0-9]+)?$"
MAX_TEXT_LENGTH = 10_000


def parse_text(expr: pl.Expr) -> pl.Expr:
    """Text, trimmed; empty becomes null."""
    trimmed = expr.str.strip_chars()
    return pl.when(trimmed == "").then(None).otherwise(trimmed)


def parse_date(expr: pl.Expr) -> pl.Expr:
    """A date in any accepted format; an xlsx date cell arrives as ``YYYY-MM-DD 00:00:00``."""
    text = expr.str.strip_chars().str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$", "$1")
    return pl.coalesce(
        [text.str.strptime(pl.Date, fmt, strict=False) for fmt in DATE_FORMATS]
    )


def parse_month(expr: pl.Expr) -> pl.Expr:
    """A month as the date of its first day; a full date is truncated to its month."""
    text = expr.str.strip_chars()
    as_month = (text + "-01").str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    only_month = text.str.contains(r"^\d{4}-\d{2}$")
    return pl.when(only_month).then(as_month).otherwise(parse_date(expr).dt.truncate("1mo"))


def parse_partial_date(expr: pl.Expr) -> pl.Expr:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (trimmed) where the text is exactly one of them and a real date.

    For dates that lists give at the precision they know (a date of birth: a year, a month or
    a day); anything else (a range, a note, another format) is null.
    """
    text = expr.str.strip_chars()
    shaped = text.str.contains(r"^\d{4}(-\d{2}(-\d{2})?)?$")
    padded = text + pl.lit("-01-01").str.slice(text.str.len_chars() - 4)
    real = padded.str.strptime(pl.Date, "%Y-%m-%d", strict=False).is_not_null()
    return pl.when(shaped & real).then(text)


def parse_number(expr: pl.Expr, *, multipliers: bool) -> pl.Expr:
    """A decimal number with optional thousands separators (and m/bn multiplier)."""
    text = expr.str.strip_chars()
    factor = pl.lit(1.0)
    if multipliers:
        suffix = text.str.extract(_MULTIPLIER, 1).str.to_lowercase()
        factor = pl.when(suffix == "bn").then(1e9).when(suffix == "m").then(1e6).otherwise(1.0)
        text = text.str.replace(_MULTIPLIER, "")
    valid = text.str.contains(f"^{_NUMBER}$")
    digits = text.str.replace_all(r"[, \u00a0\u202f]", "")
    return pl.when(valid).then(digits.cast(pl.Float64, strict=False) * factor)


def parse_number_column(text: pl.Series, *, multipliers: bool) -> pl.Series:
    """:func:`parse_number` of a column of trimmed text. Where every value is a plain number (digits, a sign, a
    decimal part: a big file's usual case) the column is cast at once, without the regular expressions that
    read thousands separators and multipliers."""
    if text.str.contains(_PLAIN_NUMBER).fill_null(True).all():
        return text.cast(pl.Float64)
    return text.to_frame("_text").select(parse_number(pl.col("_text"), multipliers=multipliers)).to_series()


def parse_integer(expr: pl.Expr) -> pl.Expr:
    """A whole number (``12`` or ``12.0`` as spreadsheets write it)."""
    text = expr.str.strip_chars()
    valid = text.str.contains(r"^[+-]?\d+(\.0+)?$")
    return pl.when(valid).then(text.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False))


def parse_boolean(expr: pl.Expr) -> pl.Expr:
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``), case-insensitive."""
    key = expr.str.strip_chars().str.to_lowercase()
    return pl.when(key.is_in(["true", "1", "yes"])).then(True).when(key.is_in(["false", "0", "no"])).then(False)


def parse_enum(expr: pl.Expr, allowed: tuple[str, ...]) -> pl.Expr:
    """An enum value, case-insensitive, spaces and hyphens read as ``_``; null if not allowed."""
    key = enum_key(expr)
    return pl.when(key.is_in(list(allowed))).then(key)


def enum_key(expr: pl.Expr) -> pl.Expr:
    """The matching form of an enum value: trimmed, lower-case, spaces/hyphens as ``_``."""
    return expr.str.strip_chars().str.to_lowercase().str.replace_all(r"[\s\-]+", "_")


def parse_currency(expr: pl.Expr) -> pl.Expr:
    """An ISO 4217 currency code, upper-cased."""
    code = expr.str.strip_chars().str.to_uppercase()
    return pl.when(code.is_in(sorted(currency_codes()))).then(code)


def parse_url(expr: pl.Expr) -> pl.Expr:
    """An http(s) URL without spaces."""
    text = expr.str.strip_chars()
    return pl.when(text.str.contains(r"(?i)^https?://[^\s/$.?#][^\s]*$")).then(text)


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes known to pycountry."""
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def suggest_enum(value: str, allowed: tuple[str, ...], limit: int = 3) -> list[str]:
    """Allowed values closest to ``value``."""
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    return difflib.get_close_matches(key, allowed, n=limit, cutoff=0.5)
