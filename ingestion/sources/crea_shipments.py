"""``crea-shipments`` → ``oil_imports``: CREA's seaborne oil arrivals in one importing country.

Publisher: CREA (Centre for Research on Energy and Clean Air), Russia Fossil Tracker (e.g.
``shipments_to_nl.csv``, made for a press request). One row per day and country the cargo came
from, tonnes of each product::

    date, commodity_origin_country, Crude oil, Oil products and chemicals, unit

The file does not name the importing country: it is given as an option (``--importer NL``,
any name or code the country normaliser knows; a country or a bloc), and files of different
importers are different releases (``release_key``).

Mapping (SOURCES.md): rows aggregate to one ``oil_imports`` row per month, origin country and
product (``Crude oil`` → ``crude``, ``Oil products and chemicals`` → ``refined``), ``volume_tonnes``
the month's sum, no value. A month whose sum is 0 is omitted (``counts["zero_months_omitted"]``;
publisher rows behind no mapped row because all their months are zero are counted in
``counts["rows_only_in_zero_months"]``). Every row is seaborne cargo with ``origin`` the country
the cargo came from: Russia, or another country (e.g. Türkiye). Cargo from another country is
that country's cargo, not Russian oil routed through it: SOURCES.md maps it to ``via_third_country``
with ``origin`` Russia, but the file measures where the cargo came from, not where its crude was
produced, so counting it as Russian oil would put a number on something the file does not
measure. Its ``source_name`` says "refined products may contain Russian crude" instead. A month
the file covers only in part is flagged ``is_partial``.

Skipped and reported, each publisher row with its first failing column and a reason: a date that
is not a date; a ``unit`` other than tonne(s); a ``commodity_origin_country`` that is not a
country (a bloc, region, aggregate or unknown name, with the closest known names); cargo whose
origin is the importer itself (domestic, not an import), or, for a bloc importer, a member of
the bloc on that day (intra-bloc, not an import into it); a missing (empty, ``NA``),
non-numeric or negative tonnage.

``counts["mapped_rows_in_partly_covered_months"]``: mapped rows of a month the file covers only in
part (it starts after the 1st or ends before the month's end), whose sums are therefore partial.
There is no default URL: the files are one-off outputs, not a published series.
"""

from __future__ import annotations

import polars as pl

from ingestion.normalize import countries
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
from ingestion.sources.base import SOURCE_ROWS, Mapped, SourceFormat, SourceOptionError, SourceOptions, row_ranges

NAME = "crea-shipments"
ORIGIN = "commodity_origin_country"
CRUDE = "Crude oil"
REFINED = "Oil products and chemicals"
COLUMNS = ("date", ORIGIN, CRUDE, REFINED, "unit")
#: quantity column → ``product``.
PRODUCTS = {CRUDE: "crude", REFINED: "refined"}
UNITS = ("tonne", "tonnes")
RUSSIA = "RUS"
RUSSIA_SOURCE_NAME = "CREA, Russia fossil tracker: seaborne arrivals from Russia"
OTHER_SOURCE_NAME = ("CREA, Russia fossil tracker: seaborne arrivals of cargo from {} (that country's cargo; "
                     "refined products may contain Russian crude, which the file does not measure)")
DOCUMENTATION_URL = "https://www.russiafossiltracker.com/"


def resolve_importer(text: str | None) -> str:
    """The code of the importer given as ``--importer`` (a country or bloc); :class:`SourceOptionError` if not."""
    example = "e.g. --importer NL or --importer Netherlands"
    if text is None or not text.strip():
        raise SourceOptionError(
            f"{NAME} files do not name the importing country: pass it with --importer COUNTRY ({example})"
        )
    code, kind = countries.resolve(pl.Series([text.strip()]), allowed_kinds=("country", "bloc")).row(0)[1:]
    if code is not None:
        return code
    if kind is not None:
        article = "an" if kind[0] in "aeiou" else "a"
        raise SourceOptionError(
            f"--importer {text!r} is {article} {kind}; the importer must be a country or bloc ({example}; the EU's "
            "member states together: --importer 'EU member states')"
        )
    hints = countries.suggest(text)
    hint = f" (did you mean {' or '.join(map(repr, hints))}?)" if hints else ""
    raise SourceOptionError(f"--importer {text!r} is not a known country or bloc{hint}; pass one, {example}")


def map_shipments(frame: pl.DataFrame, options: SourceOptions) -> Mapped:
    """Map a CREA arrivals file onto ``oil_imports`` for the importer of ``options``."""
    importer = resolve_importer(options.importer)
    raw = select_columns(frame, COLUMNS, NAME)
    places = resolve_places(raw.get_column(ORIGIN), ("country",), "origin")
    typed = _with_bloc_membership(
        join_places(raw, ORIGIN, places).with_columns(parse_date(pl.col("date")).alias("_day")), importer
    )
    ok, skips = split_failures(typed, _checks(importer))
    by_product = ok.unpivot(on=list(PRODUCTS), index=[ROW, "_day", "_code"], variable_name="_column",
                            value_name="_text").with_columns(
        pl.col("_column").replace_strict(PRODUCTS, return_dtype=pl.String).alias("_product"),
        quantity(pl.col("_text")).alias("_tonnes"),
    )
    sums = _monthly_sums(by_product)
    kept = sums.filter(pl.col("_sum") > 0)
    days = ok.get_column("_day")
    rows = _contract_rows(kept, importer).with_columns(is_partial_month(days).alias("is_partial"))
    partial = partial_months(days)
    counts = {
        "zero_months_omitted": sums.height - kept.height,
        "rows_only_in_zero_months": _rows_behind_nothing(ok, kept),
        "mapped_rows_in_partly_covered_months": rows.filter(pl.col("period").is_in(partial)).height,
    }
    first, last = day_range(days)
    return Mapped(rows=rows, skipped=skips, counts=counts, data_from=first, data_to=last)


def _with_bloc_membership(frame: pl.DataFrame, importer: str) -> pl.DataFrame:
    """``_member``: the origin belongs, on the row's day, to the importer (a bloc; never for a country)."""
    members = countries.bloc_members_table().filter(pl.col("bloc") == importer)
    indexed = frame.with_row_index("_i")
    on_day = (pl.col("member_from").is_null() | (pl.col("member_from") <= pl.col("_day"))) & (
        pl.col("member_to").is_null() | (pl.col("_day") <= pl.col("member_to"))
    )
    inside = (
        indexed.join(members.select(pl.col("member").alias("_code"), "member_from", "member_to"), on="_code")
        .filter(on_day)
        .select(pl.col("_i").unique(), pl.lit(True).alias("_member"))
    )
    joined = indexed.join(inside, on="_i", how="left", maintain_order="left")
    return joined.with_columns(pl.col("_member").fill_null(False)).drop("_i")


def _checks(importer: str) -> list[Check]:
    """What a row must pass, in the order reported."""
    return [
        date_check(),
        unit_check("unit", UNITS, "tonne"),
        place_check(ORIGIN, "origin"),
        Check(ORIGIN, pl.col("_code") == importer,
              f"origin is the importer itself ({importer}): domestic cargo, not an import"),
        Check(ORIGIN, pl.col("_member"),
              f"origin is a member of the importer {importer} on that day: intra-bloc cargo, not an import into it"),
        *quantity_checks(CRUDE, "tonnage"),
        *quantity_checks(REFINED, "tonnage"),
    ]


def _monthly_sums(by_product: pl.DataFrame) -> pl.DataFrame:
    """Tonnes per month, origin and product, with the publisher rows behind each sum."""
    return by_product.group_by(month_text(pl.col("_day")).alias("period"), "_code", "_product").agg(
        pl.col("_tonnes").sum().alias("_sum"),
        pl.col(ROW).min().alias(ROW),
        row_ranges(pl.col(ROW)).alias(SOURCE_ROWS),
    )


def _contract_rows(kept: pl.DataFrame, importer: str) -> pl.DataFrame:
    """Monthly sums in the contract's columns: seaborne cargo, ``origin`` the country it came from."""
    names = countries.entities_table().select(pl.col("code").alias("_code"), pl.col("name").alias("_name"))
    from_russia = pl.col("_code") == RUSSIA
    return kept.join(names, on="_code", how="left").sort("period", "_code", "_product").select(
        "period",
        pl.lit(importer).alias("importer"),
        pl.col("_code").alias("origin"),
        pl.lit("seaborne").alias("route"),
        pl.lit(None, pl.String).alias("via_country"),
        pl.col("_product").alias("product"),
        decimal_text(pl.col("_sum")).alias("volume_tonnes"),
        pl.lit(None, pl.String).alias("value"),
        pl.lit(None, pl.String).alias("currency"),
        pl.lit(None, pl.String).alias("source_url"),
        pl.when(from_russia).then(pl.lit(RUSSIA_SOURCE_NAME))
        .otherwise(pl.format(OTHER_SOURCE_NAME, pl.col("_name"))).alias("source_name"),
        pl.col(ROW).cast(pl.Int64),
        pl.col(SOURCE_ROWS).cast(pl.String),
    )


def _rows_behind_nothing(ok: pl.DataFrame, kept: pl.DataFrame) -> int:
    """Mapped-eligible publisher rows whose month and origin have no non-zero product."""
    keys = kept.select("period", "_code").unique()
    months = ok.select(month_text(pl.col("_day")).alias("period"), "_code")
    return months.join(keys, on=["period", "_code"], how="anti").height


FORMAT = SourceFormat(
    name=NAME,
    dataset="oil_imports",
    publisher="CREA (Centre for Research on Energy and Clean Air)",
    description="Seaborne arrivals of crude oil and oil products in one importing country (given with "
    "--importer), daily, in tonnes, by the country the cargo came from (Russia Fossil Tracker).",
    header=COLUMNS,
    map=map_shipments,
    default_url=None,
    documentation_url=DOCUMENTATION_URL,
    requires=("importer",),
    release_key=("importer",),
)
