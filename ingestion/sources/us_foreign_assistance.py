"""``us-foreign-assistance``: US foreign assistance by country and fiscal year → ``aid_changes``.

Publisher: ForeignAssistance.gov (US Department of State / USAID), the "U.S. Foreign
Assistance by Country" bulk CSV (``us_foreign_aid_country.csv``). A file is a whole release
and replaces earlier ones (SOURCES.md, "Releases supersede"). The publisher's download
address is not recorded with the real file (``shared/data/real/aid_changes/SOURCE.md``), so
the format has no default URL: ``pull`` needs ``--from``.

Columns: ``Country Code`` (ISO 3166-1 alpha-3; also ForeignAssistance.gov's own codes for
regions, ``WLD`` for the world, ``CS-KM`` for Kosovo and ``NULL`` for former entities),
``Country Name``, ``Region ID``, ``Region Name``, ``Income Group Acronym``, ``Income Group
Name``, ``Transaction Type ID``, ``Transaction Type Name`` (Obligations, Disbursements,
Appropriated and Planned, President's Budget Requests, ...), ``Fiscal Year`` (US fiscal
years; ``1976tq`` is the 1976 transition quarter), ``current_amount`` (nominal USD),
``constant_amount`` (constant USD, not used). One row per recipient, transaction type and
fiscal year; the header is quoted and some names hold commas.

Mapping (SOURCES.md, ``us-foreign-assistance`` → ``aid_changes``):

- only ``Obligations`` rows are used. Rows of every other transaction type are not loaded;
  they are counted per type in ``Mapped.counts`` (``"rows not loaded, transaction type
  Disbursements"``, ...);
- obligations are summed per recipient and fiscal year (several publisher rows of one
  recipient and year are added up; all of them are kept in ``source_rows``). A row behind
  no change (its year's obligations equal the previous and the next year's, or the file's
  first year equal to the next; or a neighbouring year is unknown, see below) is read but is
  in no ``source_rows``: such rows are counted (``"obligation rows read but behind no
  change ..."`` in ``Mapped.counts``);
- one aid change per recipient and fiscal year whose obligations differ from the previous
  fiscal year's. For each recipient the years run from its first fiscal year in the file to
  the file's last fiscal year (of any recipient's obligations); a year without a row counts
  as 0, so a recipient that disappears gets a ``termination`` in the year after its last
  obligation (if the file reaches that far), and one that appears after the file's first
  year gets a ``new`` in its first year. The file's first fiscal year gives no change:
  the year before it is not in the file, i.e. unknown, not zero. FY1977 is compared with
  FY1976 (the transition quarter between them is skipped, see below);
- ``amount_change`` = this year − previous year in current USD, exact (decimal arithmetic),
  written as plain decimal text; obligations may be negative (deobligations);
- ``change``: ``new`` when the previous year ≤ 0 and this year > 0, ``termination`` when the
  previous year > 0 and this year ≤ 0, else ``increase``/``decrease`` by the sign of
  ``amount_change`` (the sign always agrees with ``change``);
- ``donor`` USA, ``recipient`` the code of the recipient, ``programme`` "US foreign
  assistance, all programmes (obligations)", ``aid_type`` ``all``, ``currency`` USD,
  ``fiscal_year`` the fiscal year, ``effective_on`` = ``announced_on`` = 1 October of the
  year before the fiscal year, as SOURCES.md defines the fiscal year's first day (until
  FY1976 the US fiscal year began on 1 July: for FY1946-FY1976 the date is the rule's, not
  the historical first day); ``description`` gives both years' obligations;
- ``__row`` is the first publisher row of the fiscal year, or, for a change to a year
  without rows (a termination), the first row of the previous year; ``source_rows`` lists
  the rows of both years, since the change is computed from both.

Recipients are resolved by ``Country Code`` where it is a code the warehouse knows (ISO
3166-1, or a reference alias such as ``CS-KM`` for Kosovo), else by ``Country Name``; a
recipient must be a country or a known bloc (entity kind ``bloc`` or ``region``: the
``Baltic states`` are stored as a region).

Skipped and reported (``Mapped.skipped``: row, column, value, reason), every row on its own:

- an Obligations row of the 1976 transition quarter (``1976tq``), or whose fiscal year is
  not a four-digit year;
- an Obligations row whose ``current_amount`` is empty or not a plain number. Its year is
  then unknown for its recipient, not 0: the changes of that year and of the next are not
  computed, and counted (``"changes not computed, ..."`` in ``Mapped.counts``);
- an Obligations row of a regional or worldwide aggregate (a name ending in ``Region``,
  ``World``/``WLD``) or of a code the source marks ``NULL`` (former entities such as
  "Soviet Union (former)" or "Berlin, West"), unless its name resolves to a known bloc; a
  region of the source ("Eastern Europe Region") is never matched to a bloc of a similar
  name ("Eastern Europe", the B9) since only exact names and aliases resolve;
- an Obligations row of a recipient that is no country or bloc the warehouse knows
  (``SDF`` "Sudan (former)", ``TIB`` "China (Tibet)", ``PIT`` "Pacific Island Trust
  Territory": the reason says what each is), or that resolves to an organisation;
- a row without a ``Transaction Type Name`` (it cannot be known to be an obligation).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ingestion.datasets.aid_changes import AID_CHANGES
from ingestion.normalize import countries
from ingestion.readers import ROW, UnreadableFile
from ingestion.sources.base import SOURCE_ROWS, Mapped, SourceFormat, SourceOptions, row_ranges, skipped

NAME = "us-foreign-assistance"
PUBLISHER = "ForeignAssistance.gov (US Department of State / USAID)"
SOURCE_NAME = "ForeignAssistance.gov, U.S. Foreign Assistance by Country (obligations)"
SOURCE_URL = "https://foreignassistance.gov/"
PROGRAMME = "US foreign assistance, all programmes (obligations)"

CODE = "Country Code"
COUNTRY = "Country Name"
TYPE = "Transaction Type Name"
YEAR = "Fiscal Year"
AMOUNT = "current_amount"
#: Columns the mapping reads (and that recognise the format).
HEADER = (CODE, COUNTRY, TYPE, YEAR, AMOUNT)

OBLIGATIONS = "obligations"
DISBURSEMENTS = "disbursements"
#: Transaction types loaded as levels (``aid_levels``); obligations also give the changes.
LEVEL_TYPES = (OBLIGATIONS, DISBURSEMENTS)
#: The last fiscal year that ran from 1 July (the 1976 transition quarter moved the start to 1 October).
LAST_JULY_FISCAL_YEAR = 1976
LEVELS_SOURCE_NAME = "ForeignAssistance.gov, U.S. Foreign Assistance by Country (obligations and disbursements)"
#: Exact type of amounts: 31 digits before the point, 6 after.
DECIMAL = pl.Decimal(38, 6)
#: Kinds a recipient may resolve to: a country or a known bloc (some blocs are stored as kind ``region``).
RECIPIENT_KINDS = ("country", *countries.GROUP_KINDS)
#: Recipients of the source that are no country the warehouse knows, by code, with what they are.
NOT_COUNTRIES = {
    "SDF": "the undivided Sudan before South Sudan's independence in 2011, which the source reports beside "
    "Sudan (SDN) and South Sudan (SSD) for the same years; it has no country code and is not merged into either",
    "TIB": "a part of China that the source reports apart from China (P.R.C.); not a country",
    "PIT": "the Trust Territory of the Pacific Islands (dissolved 1986-1994 into FSM, MHL, MNP and PLW); "
    "no current country",
}

REASON_TQ = "the 1976 transition quarter (July-September 1976) is not a fiscal year; it is not compared with any year"
REASON_YEAR = "fiscal year is not a four-digit year"
REASON_NO_AMOUNT = "current_amount is empty; an absent amount is not read as 0"
REASON_AMOUNT = "current_amount is not a plain number (USD)"
#: Key of ``Mapped.counts``: recipient-years without a change because an amount they depend on is unreadable.
UNKNOWN_CHANGES = "changes not computed, obligations of the year or the previous year unreadable"
#: Key of ``Mapped.counts``: obligation rows read but behind no change (equal to the years before and after).
ROWS_WITHOUT_CHANGE = "obligation rows read but behind no change (amount as in the years around, or those unknown)"
REASON_NO_TYPE = "Transaction Type Name is empty: the row cannot be known to be an obligation"


def map_us_foreign_assistance(frame: pl.DataFrame, options: SourceOptions) -> Mapped:
    """Map a ForeignAssistance.gov country file onto ``aid_changes`` and the side table ``aid_levels``."""
    rows = _with_keys(_select_columns(frame))
    counts = _other_type_counts(rows)
    # obligations and disbursements of a fiscal year; an unreadable amount makes its year unknown (not 0)
    dated = rows.filter(pl.col("_type").is_in(LEVEL_TYPES) & pl.col("_year").is_not_null())
    obligations = dated.filter(pl.col("_type") == OBLIGATIONS)
    first_year, last_year = _year_range(obligations)
    row_skips = _row_skips(rows)
    recipients, recipient_skips = _recipients(dated)
    recipient_skips = recipient_skips.join(row_skips.select("row"), on="row", how="anti")
    resolved = dated.join(recipients, on=[CODE, COUNTRY], how="inner", nulls_equal=True)
    changes, change_counts = _changes(resolved.filter(pl.col("_type") == OBLIGATIONS), first_year, last_year)
    counts.update(change_counts)
    latest = _year_range(dated)[1]
    changes = changes.with_columns(
        pl.lit("fiscal_year").alias("date_precision"),
        (pl.col("fiscal_year") == pl.lit(str(latest))).cast(pl.String).alias("is_partial"),
    )
    every_skip = pl.concat([row_skips, recipient_skips]).sort("row", "column")
    first = _year_range(dated)[0]
    levels = {"aid_levels": _levels(resolved, latest)}
    return Mapped(rows=changes, skipped=every_skip, counts=counts, side=levels,
                  data_from=fiscal_year_bounds(first)[0] if first else None,
                  data_to=fiscal_year_bounds(latest)[1] if latest else None)


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of a US fiscal year (1 October - 30 September; 1 July - 30 June until FY1976)."""
    if year <= LAST_JULY_FISCAL_YEAR:
        return date(year - 1, 7, 1), date(year, 6, 30)
    return date(year - 1, 10, 1), date(year, 9, 30)


def _levels(resolved: pl.DataFrame, latest: int | None) -> pl.DataFrame:
    """Obligations and disbursements per recipient and fiscal year: the year's sum, in the contract's text columns.

    A year with an unreadable amount has no level (its rows are reported as skipped); the file's
    latest fiscal year is one the publisher has not finished reporting: ``is_partial``.
    """
    unreadable = pl.col("_amount").null_count() > 0
    yearly = resolved.group_by("_recipient", "_year", "_type").agg(
        pl.when(unreadable).then(None).otherwise(pl.col("_amount").sum()).alias("_sum"),
        pl.col(ROW).min().alias(ROW),
        row_ranges(pl.col(ROW)).alias(SOURCE_ROWS),
    ).filter(pl.col("_sum").is_not_null())
    years = yearly.get_column("_year").unique().to_list()
    bounds = pl.DataFrame(
        [(y, *fiscal_year_bounds(y)) for y in years], schema={"_year": pl.Int64, "_from": pl.Date, "_to": pl.Date},
        orient="row",
    )
    return yearly.join(bounds, on="_year").sort("_recipient", "_year", "_type").select(
        pl.lit("USA").alias("donor"),
        pl.col("_recipient").alias("recipient"),
        pl.col("_year").cast(pl.String).alias("fiscal_year"),
        pl.col("_from").cast(pl.String).alias("period_from"),
        pl.col("_to").cast(pl.String).alias("period_to"),
        pl.col("_type").alias("measure"),
        plain_decimal(pl.col("_sum")).alias("amount"),
        pl.lit("USD").alias("currency"),
        pl.lit(SOURCE_URL).alias("source_url"),
        pl.lit(LEVELS_SOURCE_NAME).alias("source_name"),
        (pl.col("_year") == pl.lit(latest)).cast(pl.String).alias("is_partial"),
        pl.col(ROW).cast(pl.Int64),
        pl.col(SOURCE_ROWS).cast(pl.String),
    )


def _select_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """``__row`` and the columns of :data:`HEADER` (found trimmed, ignoring case), values trimmed, blank as null."""
    by_key = {c.strip().lower(): c for c in frame.columns if c != ROW}
    missing = [n for n in HEADER if n.lower() not in by_key]
    if missing:
        raise UnreadableFile(f"not a {NAME} file: column(s) {', '.join(map(repr, missing))} missing")
    trimmed = (pl.col(by_key[n.lower()]).str.strip_chars() for n in HEADER)
    return frame.select(pl.col(ROW), *(pl.when(t != "").then(t).alias(n) for t, n in zip(trimmed, HEADER, strict=True)))


def _with_keys(rows: pl.DataFrame) -> pl.DataFrame:
    """Add ``_type`` (lower-case type name), ``_year`` (Int64 or null) and ``_amount`` (decimal or null)."""
    amount = pl.col(AMOUNT)
    return rows.with_columns(
        pl.col(TYPE).str.to_lowercase().alias("_type"),
        pl.when(pl.col(YEAR).str.contains(r"^\d{4}$")).then(pl.col(YEAR).cast(pl.Int64)).alias("_year"),
        pl.when(amount.str.contains(r"^[+-]?\d+(\.\d+)?$")).then(amount.cast(DECIMAL, strict=False)).alias("_amount"),
    )


def _other_type_counts(rows: pl.DataFrame) -> dict[str, int]:
    """Rows of each transaction type other than Obligations and Disbursements (not loaded), by type name."""
    others = rows.filter(~pl.col("_type").is_in(LEVEL_TYPES) & pl.col(TYPE).is_not_null())
    per_type = others.group_by(TYPE).len().sort(TYPE)
    return {f"rows not loaded, transaction type {name}": int(n) for name, n in per_type.iter_rows()}


def _year_range(obligations: pl.DataFrame) -> tuple[int | None, int | None]:
    """The file's first and last fiscal year of obligations (of any recipient), None if it has none."""
    years = obligations.get_column("_year").drop_nulls()
    return (None, None) if years.is_empty() else (int(years.min()), int(years.max()))


def _row_skips(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows skipped for their own values: no transaction type; obligations or disbursements with no fiscal year
    or amount."""
    obligations = rows.filter(pl.col("_type").is_in(LEVEL_TYPES))
    transition = pl.col(YEAR).str.to_lowercase().str.replace_all(r"\s", "") == "1976tq"
    bad_year = obligations.filter(pl.col("_year").is_null())
    bad_amount = obligations.filter(pl.col("_year").is_not_null() & pl.col("_amount").is_null())
    year_reason = pl.when(transition).then(pl.lit(REASON_TQ)).otherwise(pl.lit(REASON_YEAR))
    amount_reason = pl.when(pl.col(AMOUNT).is_null()).then(pl.lit(REASON_NO_AMOUNT)).otherwise(pl.lit(REASON_AMOUNT))
    return pl.concat([
        skipped(rows.filter(pl.col("_type").is_null()), TYPE, REASON_NO_TYPE),
        skipped(bad_year, YEAR, year_reason),
        skipped(bad_amount, AMOUNT, amount_reason),
    ])


def _recipients(obligations: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:  # obligations and disbursements
    """The recipient code of each (code, name) pair that resolves, and the rows of those that do not, skipped."""
    pairs = obligations.select(CODE, COUNTRY).unique().sort(CODE, COUNTRY, nulls_last=True)
    no_code = pl.col(CODE).is_null() | (pl.col(CODE).str.to_uppercase() == "NULL")
    aggregate = (
        pl.col(COUNTRY).str.contains(r"(?i)\bregion$") | pl.col(COUNTRY).str.contains(r"(?i)^world$")
        | (pl.col(CODE).str.to_uppercase() == "WLD")
    ).fill_null(False)
    by_code = countries.resolve(pairs.get_column(CODE), RECIPIENT_KINDS)
    by_name = countries.resolve(pairs.get_column(COUNTRY), RECIPIENT_KINDS)
    resolved = pairs.with_columns(
        no_code.alias("_no_code"),
        aggregate.alias("_aggregate"),
        by_code.get_column("code").alias("_by_code"),
        by_name.get_column("code").alias("_by_name"),
        by_name.get_column("kind").alias("_name_kind"),
    ).with_columns(
        pl.when(pl.col("_no_code") | pl.col("_aggregate"))
        # an aggregate or an entity without a code is kept only as a known bloc
        .then(pl.when(pl.col("_name_kind").is_in(countries.GROUP_KINDS)).then(pl.col("_by_name")))
        .otherwise(pl.coalesce("_by_code", "_by_name"))
        .alias("_recipient")
    )
    known = resolved.filter(pl.col("_recipient").is_not_null()).select(CODE, COUNTRY, "_recipient")
    unknown = resolved.filter(pl.col("_recipient").is_null()).with_columns(_recipient_reason().alias("_reason"))
    rows = obligations.join(unknown, on=[CODE, COUNTRY], how="inner", nulls_equal=True)
    column = pl.when(pl.col("_no_code")).then(pl.lit(CODE)).otherwise(pl.lit(COUNTRY))
    value = pl.when(pl.col("_no_code")).then(pl.col(CODE)).otherwise(pl.col(COUNTRY))
    skips = rows.select(
        pl.col(ROW).cast(pl.Int64).alias("row"), column.alias("column"), value.alias("value"),
        pl.col("_reason").alias("reason"),
    )
    return known, skips


def _recipient_reason() -> pl.Expr:
    """Why a (code, name) pair gives no recipient (columns of :func:`_recipients`)."""
    named = pl.format("'{}' (code {})", pl.col(COUNTRY).fill_null(""), pl.col(CODE).fill_null("empty"))
    not_country = pl.col(CODE).str.to_uppercase().replace_strict(NOT_COUNTRIES, default=None)
    return (
        pl.when(pl.col("_no_code"))
        .then(pl.format("the source marks the country code NULL (former entity '{}'); SOURCES.md skips such "
                        "recipients unless they are a known bloc", pl.col(COUNTRY).fill_null("")))
        .when(pl.col("_aggregate"))
        .then(pl.format("{} is a regional or worldwide aggregate of the source, not a country or known bloc", named))
        .when(not_country.is_not_null())
        .then(pl.format("{} is {}", named, not_country))
        .when(pl.col("_name_kind") == "organisation")
        .then(pl.format("{} is an organisation; the recipient must be a country or bloc", named))
        .otherwise(pl.format("{} is not a country or bloc the warehouse knows", named))
    )


def _yearly(obligations: pl.DataFrame) -> pl.DataFrame:
    """Per recipient and fiscal year: ``_amount`` (sum, null if unreadable), ``_first`` and ``_rows`` (rows)."""
    unreadable = pl.col("_amount").null_count() > 0
    return obligations.group_by("_recipient", "_year").agg(
        pl.when(unreadable).then(None).otherwise(pl.col("_amount").sum()).alias("_amount"),
        unreadable.alias("_unknown"),
        pl.col(ROW).min().alias("_first"),
        pl.col(ROW).alias("_rows"),
    )


def _changes(
    obligations: pl.DataFrame, first_year: int | None, last_year: int | None
) -> tuple[pl.DataFrame, dict[str, int]]:
    """One aid change per recipient and fiscal year whose obligations differ from the previous year's.

    Also returns the counts of :data:`UNKNOWN_CHANGES` and :data:`ROWS_WITHOUT_CHANGE` (when not zero).
    """
    if first_year is None or last_year is None or obligations.is_empty():
        return _empty_rows(), {}
    yearly = _yearly(obligations)
    zero = pl.lit(0).cast(DECIMAL)
    grid = (
        yearly.group_by("_recipient").agg(pl.col("_year").min().alias("_from"))
        .select("_recipient", pl.int_ranges("_from", last_year + 1).alias("_year"))
        .explode("_year")
        .join(yearly, on=["_recipient", "_year"], how="left")
        .sort("_recipient", "_year")
        .with_columns(
            pl.col("_unknown").fill_null(False),
            # a year without rows counts as 0; a year with an unreadable amount stays unknown (null)
            pl.when(pl.col("_unknown").fill_null(False)).then(None).otherwise(pl.col("_amount").fill_null(zero))
            .alias("_amount"),
        )
        .with_columns(
            # the grid is contiguous per recipient: the previous row is the previous fiscal year
            pl.when(pl.col("_unknown").shift(1).over("_recipient").fill_null(False)).then(None)
            .otherwise(pl.col("_amount").shift(1).over("_recipient").fill_null(zero)).alias("_previous"),
            pl.col("_first").shift(1).over("_recipient").alias("_previous_first"),
            pl.col("_rows").shift(1).over("_recipient").alias("_previous_rows"),
        )
        .filter(pl.col("_year") > first_year)  # the year before the file's first is unknown, not 0
    )
    known = pl.col("_amount").is_not_null() & pl.col("_previous").is_not_null()
    changed = grid.filter(known & (pl.col("_amount") != pl.col("_previous")))
    rows = _as_rows(changed.with_columns((pl.col("_amount") - pl.col("_previous")).alias("_change")))
    used = pl.concat([changed.select(pl.col(c).alias(ROW)).explode(ROW) for c in ("_rows", "_previous_rows")])
    unused = obligations.filter(pl.col("_amount").is_not_null()).join(used, on=ROW, how="anti")
    counts = {UNKNOWN_CHANGES: grid.height - int(grid.select(known.sum()).item()), ROWS_WITHOUT_CHANGE: unused.height}
    return rows, {key: n for key, n in counts.items() if n}


def _change_kind() -> pl.Expr:
    """``new``/``termination``/``increase``/``decrease`` from ``_previous``, ``_amount`` and ``_change``."""
    return (
        pl.when((pl.col("_previous") <= 0) & (pl.col("_amount") > 0)).then(pl.lit("new"))
        .when((pl.col("_previous") > 0) & (pl.col("_amount") <= 0)).then(pl.lit("termination"))
        .when(pl.col("_change") > 0).then(pl.lit("increase"))
        .otherwise(pl.lit("decrease"))
    )


def plain_decimal(value: pl.Expr) -> pl.Expr:
    """A decimal as plain text without trailing zeros (``1234.5``, ``-12``)."""
    text = value.cast(pl.String)
    return pl.when(text.str.contains(".", literal=True)).then(text.str.replace(r"\.?0+$", "")).otherwise(text)


def _as_rows(changed: pl.DataFrame) -> pl.DataFrame:
    """The changes as ``aid_changes`` text columns, with ``__row`` and ``source_rows``."""
    source_rows = (
        changed.select("_recipient", "_year", pl.concat_list(
            pl.col("_rows").fill_null(pl.lit([], pl.List(pl.Int64))),
            pl.col("_previous_rows").fill_null(pl.lit([], pl.List(pl.Int64))),
        ).alias("_all"))
        .explode("_all")
        .group_by("_recipient", "_year")
        .agg(row_ranges(pl.col("_all")).alias(SOURCE_ROWS))
    )
    first_day = pl.format("{}-10-01", pl.col("_year") - 1)
    description = pl.format(
        "Obligations FY{}: {} USD; FY{}: {} USD (current USD, ForeignAssistance.gov)",
        "_year", plain_decimal(pl.col("_amount")), pl.col("_year") - 1, plain_decimal(pl.col("_previous")),
    )
    return changed.join(source_rows, on=["_recipient", "_year"], how="left").sort("_recipient", "_year").select(
        first_day.alias("announced_on"),
        first_day.alias("effective_on"),
        pl.lit("USA").alias("donor"),
        pl.col("_recipient").alias("recipient"),
        pl.lit(PROGRAMME).alias("programme"),
        pl.lit("all").alias("aid_type"),
        _change_kind().alias("change"),
        plain_decimal(pl.col("_change")).alias("amount_change"),
        pl.lit("USD").alias("currency"),
        pl.col("_year").cast(pl.String).alias("fiscal_year"),
        description.alias("description"),
        pl.lit(SOURCE_URL).alias("source_url"),
        pl.lit(SOURCE_NAME).alias("source_name"),
        pl.coalesce("_first", "_previous_first").cast(pl.Int64).alias(ROW),
        pl.col(SOURCE_ROWS),
    )


def _empty_rows() -> pl.DataFrame:
    """No changes, in the shape of :func:`_as_rows`."""
    schema = dict.fromkeys(AID_CHANGES.column_names, pl.String)
    return pl.DataFrame(schema={**schema, ROW: pl.Int64, SOURCE_ROWS: pl.String})


FORMAT = SourceFormat(
    name=NAME,
    dataset="aid_changes",
    publisher=PUBLISHER,
    description="U.S. Foreign Assistance by Country (us_foreign_aid_country.csv): obligations, disbursements, "
    "appropriations and budget requests per recipient and fiscal year in USD; obligations give one aid change "
    "per recipient and fiscal year.",
    header=HEADER,
    map=map_us_foreign_assistance,
    default_url=None,
    documentation_url=SOURCE_URL,
)
