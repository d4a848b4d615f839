"""``crea-values`` → ``oil_imports``: CREA's value of Russian fossil-fuel exports by destination.

Publisher: CREA (Centre for Research on Energy and Clean Air), Russia Fossil Tracker. The file
(e.g. ``price_cap_ts.csv`` of CREA's October 2022 monthly update) holds one row per day,
destination and commodity group::

    date, destination_region, commodity_group, <one column per price-cap scenario>, Without price cap, unit

``Without price cap`` is CREA's estimate of the value actually exported, in ``unit`` (EUR). The
scenario columns (``Pricecap: 2021H1 - EU imports only``, ``Pricecap: SRMC - ...``, ...) are what
the exports would have been worth under a price cap: they are not flows and are ignored.

Mapping (SOURCES.md): the daily rows aggregate to one ``oil_imports`` row per month, destination
and commodity group: ``importer`` the destination (a country; CREA's ``EU`` is the member states
together, ``EU_MEMBER_STATES``, not the EU's institutions ``EUU``; CREA's ``Others``, every destination
it does not name, is the aggregate ``OTHERS_CREA``, loaded so that totals reconcile with CREA's own),
``origin`` Russia, ``route`` ``unspecified`` (CREA does not split routes here), ``product`` from
``commodity_group`` (``oil`` → ``oil``, ``gas`` → ``gas``, ``coal`` → ``coal``: the groups the
file has), ``value`` the month's sum in EUR, ``currency`` EUR, no volume. A month whose sum is 0
is kept (CREA estimated nothing exported).

Skipped and reported, each publisher row with its first failing column and a reason: a date that
is not a date; a ``unit`` other than EUR; a commodity group not in the table above (never
guessed); a destination that is not a country or bloc (a region, or an unknown name, with the
closest known names); a missing (empty, ``NA``), non-numeric or negative ``Without price cap``.
A month the file covers only in part (it starts after the 1st or ends before the month's end) is
flagged ``is_partial``.

CREA publishes these estimates through its API (api.russiafossiltracker.com), which does not
serve this file's layout; there is no stable download of the file, so the format has no default
URL (a pull needs ``--from``).
"""

from __future__ import annotations

import polars as pl

from ingestion.normalize.values import parse_date
from ingestion.readers import ROW
from ingestion.sources._crea import (
    Check,
    date_check,
    day_range,
    decimal_text,
    is_partial_month,
    join_places,
    month_text,
    partial_months,
    place_check,
    quantity,
    quantity_checks,
    resolve_places,
    select_columns,
    split_failures,
    unit_check,
)
from ingestion.sources.base import SOURCE_ROWS, Mapped, SourceFormat, SourceOptions, row_ranges

NAME = "crea-values"
VALUE = "Without price cap"
COLUMNS = ("date", "destination_region", "commodity_group", VALUE, "unit")
#: ``commodity_group`` (lower-case) → ``product``: every group CREA's file has, mapped explicitly.
PRODUCTS = {"oil": "oil", "gas": "gas", "coal": "coal"}
SOURCE_NAME = f"CREA, Russia fossil tracker: value of exports by destination ({VALUE})"
#: Destinations CREA means in its own way: ``EU`` is its member states together (their imports), not the
#: EU's institutions; ``Others`` is CREA's remainder of every destination it does not name.
DESTINATIONS = {"EU": "EU_MEMBER_STATES", "Others": "OTHERS_CREA"}
DOCUMENTATION_URL = "https://www.russiafossiltracker.com/"


def map_values(frame: pl.DataFrame, options: SourceOptions) -> Mapped:
    """Map a CREA value file onto ``oil_imports`` (one row per month, destination and commodity)."""
    raw = select_columns(frame, COLUMNS, NAME)
    places = resolve_places(raw.get_column("destination_region"), ("country", "bloc", "aggregate"), "importer",
                            explicit=DESTINATIONS)
    typed = join_places(raw, "destination_region", places).with_columns(
        parse_date(pl.col("date")).alias("_day"),
        pl.col("commodity_group").str.strip_chars().str.to_lowercase()
        .replace_strict(PRODUCTS, default=None, return_dtype=pl.String).alias("_product"),
        quantity(pl.col(VALUE)).alias("_value"),
    )
    ok, skips = split_failures(typed, _checks())
    days = ok.get_column("_day")
    rows = _aggregate(ok).with_columns(is_partial_month(days).alias("is_partial"))
    partial = partial_months(days)
    counts = {"mapped_rows_in_partly_covered_months": rows.filter(pl.col("period").is_in(partial)).height}
    first, last = day_range(days)
    return Mapped(rows=rows, skipped=skips, counts=counts, data_from=first, data_to=last)


def _checks() -> list[Check]:
    """What a row must pass, in the order reported."""
    known = ", ".join(PRODUCTS)
    return [
        date_check(),
        unit_check("unit", ("EUR",), "EUR"),
        Check("commodity_group", pl.col("_product").is_null(),
              f"unknown commodity group: the format maps only {known}"),
        place_check("destination_region", "destination"),
        *quantity_checks(VALUE, "value"),
    ]


def _aggregate(ok: pl.DataFrame) -> pl.DataFrame:
    """Sum the daily values per month, destination and product, in the contract's columns."""
    grouped = ok.group_by(month_text(pl.col("_day")).alias("period"), pl.col("_code").alias("importer"),
                          pl.col("_product").alias("product")).agg(
        pl.col("_value").sum().alias("_sum"),
        pl.col(ROW).min().alias(ROW),
        row_ranges(pl.col(ROW)).alias(SOURCE_ROWS),
    )
    return grouped.sort("period", "importer", "product").select(
        "period",
        "importer",
        pl.lit("RUS").alias("origin"),
        pl.lit("unspecified").alias("route"),
        pl.lit(None, pl.String).alias("via_country"),
        "product",
        pl.lit(None, pl.String).alias("volume_tonnes"),
        decimal_text(pl.col("_sum")).alias("value"),
        pl.lit("EUR").alias("currency"),
        pl.lit(None, pl.String).alias("source_url"),
        pl.lit(SOURCE_NAME).alias("source_name"),
        pl.col(ROW).cast(pl.Int64),
        pl.col(SOURCE_ROWS).cast(pl.String),
    )


FORMAT = SourceFormat(
    name=NAME,
    dataset="oil_imports",
    publisher="CREA (Centre for Research on Energy and Clean Air)",
    description="Value of Russian fossil-fuel exports by destination and commodity, daily, in EUR "
    f"(Russia Fossil Tracker); only {VALUE!r} is loaded, the price-cap scenario columns are not flows.",
    header=COLUMNS,
    map=map_values,
    default_url=None,
    documentation_url=DOCUMENTATION_URL,
)
