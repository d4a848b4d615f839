"""``gsdb``: the Global Sanctions Data Base (GSDB) case list, mapped onto ``sanctions``.

Publisher: the Global Sanctions Data Base (Felbermayr, Kirilakha, Syropoulos, Yalcin and
Yotov; Drexel University), version 3, distributed on request (no stable download URL).
One row per sanctions case: ``case_id``, ``sanctioned_state`` (target), ``sanctioning_state``
(sender), ``begin`` and ``end`` (years), the 0/1 flags ``trade``, ``arms``, ``military``,
``financial``, ``travel``, ``other``, ``descr_trade`` (``exp_part``, ``imp_compl``, ...,
comma-joined), then ``target_mult``, ``sender_mult``, ``objective``, ``success``. The
header starts with a UTF-8 BOM (the reader drops it).

Mapping (SOURCES.md, ``gsdb`` → ``sanctions``):

- Both state columns may list several names joined by commas (``"G7, EU"``), while some
  single names contain one (``"Gambia, The"``, ``"Yemen, North"``). Each distinct field
  value is split into its comma-separated parts and matched greedily, longest run of parts
  first, against the names :mod:`ingestion.normalize.countries` knows; a run no name
  covers falls back to its single part.
- One measure per case, sender, target and measure type: ``trade`` gives ``export_ban``
  for each ``exp_*`` of ``descr_trade`` and ``import_ban`` for each ``imp_*`` (both where
  both); ``arms`` gives ``export_ban`` with sector ``arms``; ``military`` ``other`` with
  sector ``military``; ``financial`` ``financial``; ``travel`` ``travel_ban``; ``other``
  ``other``.
- ``measure_id`` ``gsdb:<case_id>:<sender code>:<target code>:<measure_type>[:<sector>]``;
  ``announced_on`` 1 January of ``begin`` (the source gives years only, as the description
  says, and ``date_precision`` is ``year``: figures say "in year Y", never 1 January); ``status``
  ``in_force`` when ``end`` is the file's last year (the case was still
  ongoing at the data's cut-off), else ``lifted``; ``source_name`` "Global Sanctions Data
  Base (GSDB) v3". The description names the case, its senders and targets as written,
  its years, the measure's detail and the case's objective.

Reported in ``Mapped.skipped`` (row, column, value, reason), never guessed:

- a sender or target part that names nothing known (the row's other senders and targets
  still map), with the closest known names; a target that is a bloc, region or
  organisation (the target must be a country);
- a row whose ``case_id`` is empty or repeats an earlier row's, or whose ``begin``/``end``
  is not a year or ends before it begins (the whole row);
- a flag that is not 0 or 1, a ``descr_trade`` item that is neither ``exp_*`` nor
  ``imp_*``, ``trade`` 1 with no such item, a case that flags no measure at all.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ingestion.normalize import countries
from ingestion.readers import ROW
from ingestion.sources.base import SOURCE_ROWS, Mapped, SourceFormat, SourceOptions, row_ranges, skipped

SOURCE_NAME = "Global Sanctions Data Base (GSDB) v3"
TARGET = "sanctioned_state"
SENDER = "sanctioning_state"
HEADER = (
    "case_id", TARGET, SENDER, "begin", "end", "trade", "descr_trade", "arms", "military", "financial", "travel",
    "other",
)
#: Flags other than ``trade``: measure type, sector, wording in the description.
FLAG_MEASURES: dict[str, tuple[str, str | None, str]] = {
    "arms": ("export_ban", "arms", "arms embargo"),
    "military": ("other", "military", "military sanctions (e.g. suspended military assistance)"),
    "financial": ("financial", None, "financial sanctions"),
    "travel": ("travel_ban", None, "travel ban"),
    "other": ("other", None, "other sanctions"),
}
FLAGS = ("trade", *FLAG_MEASURES)
#: ``descr_trade`` prefixes and the measure type each gives.
TRADE_PREFIXES = {"exp_": ("export_ban", "export ban"), "imp_": ("import_ban", "import ban")}
TRADE_SCOPES = {"part": "partial", "compl": "complete"}
SENDER_KINDS = ("country", "bloc", "organisation", "region")
TARGET_KINDS = ("country",)
MEASURE_SCHEMA = {ROW: pl.Int64, "measure_type": pl.String, "sector": pl.String, "detail": pl.String}
YEAR = r"^\d{4}$"


def map_gsdb(frame: pl.DataFrame, options: SourceOptions) -> Mapped:
    """GSDB cases as ``sanctions`` rows: one per case, sender, target and measure type."""
    del options  # the file carries everything it needs
    cases = _canonical(frame)
    valid, row_skips = _check_rows(cases)
    measures, measure_skips = _measures(valid)
    senders, sender_skips = _parties(valid, SENDER, SENDER_KINDS)
    targets, target_skips = _parties(valid, TARGET, TARGET_KINDS)
    last_year = valid.get_column("_end").max()
    rows = _rows(valid, measures, senders, targets, last_year)
    skips = pl.concat([row_skips, measure_skips, sender_skips, target_skips]).sort("row", "column", "value")
    mapped_cases = rows.get_column(ROW).n_unique()
    counts = {"cases": cases.height, "cases_mapped": mapped_cases, "measures": rows.height}
    first_year = valid.get_column("_begin").min()
    return Mapped(rows=rows, skipped=skips, counts=counts,
                  data_from=date(first_year, 1, 1) if first_year else None,
                  data_to=date(last_year, 12, 31) if last_year else None)


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """The file's columns renamed to their lower-case trimmed names, values trimmed, empty as null."""
    renames = {c: c.strip().lower() for c in frame.columns if c != ROW}
    trimmed = frame.rename(renames).with_columns(
        pl.col(c).str.strip_chars().replace("", None) for c in renames.values()
    )
    if "objective" not in trimmed.columns:
        trimmed = trimmed.with_columns(objective=pl.lit(None, pl.String))
    return trimmed


def _check_rows(cases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows with a usable case id and years (typed ``_begin``/``_end``), and the rows skipped whole."""
    first_row = pl.col("_first_row")
    checks = [
        ("case_id", pl.col("case_id").is_null(), pl.lit("empty case_id")),
        ("case_id", pl.col(ROW) != first_row,
         pl.format("case_id repeats row {}: one row per case, the later one is not loaded", first_row)),
        ("begin", ~pl.col("begin").str.contains(YEAR).fill_null(False), pl.lit("begin is not a year (YYYY)")),
        ("end", ~pl.col("end").str.contains(YEAR).fill_null(False), pl.lit("end is not a year (YYYY)")),
        ("end", pl.col("end").cast(pl.Int64, strict=False) < pl.col("begin").cast(pl.Int64, strict=False),
         pl.format("the case ends ({}) before it begins ({})", "end", "begin")),
    ]
    skips: list[pl.DataFrame] = []
    remaining = cases.with_columns(pl.col(ROW).min().over("case_id").alias("_first_row"))
    for column, bad, reason in checks:
        flagged = remaining.filter(bad.fill_null(False))
        skips.append(skipped(flagged, column, reason))
        remaining = remaining.filter(~bad.fill_null(False))
    valid = remaining.drop("_first_row").with_columns(
        pl.col("begin").cast(pl.Int64).alias("_begin"), pl.col("end").cast(pl.Int64).alias("_end")
    )
    return valid, pl.concat(skips)


def _measures(cases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Measure type, sector and detail of each flag set to 1 (``ROW``-keyed), and the flags that cannot be read."""
    bad_flags = pl.concat([
        skipped(cases.filter(~pl.col(flag).is_in(["0", "1"]).fill_null(False)), flag,
                f"{flag} is not 0 or 1: its measure is not loaded")
        for flag in FLAGS
    ])
    flagged = [
        cases.filter(pl.col(flag) == "1").select(
            ROW, pl.lit(kind).alias("measure_type"), pl.lit(sector, pl.String).alias("sector"),
            pl.lit(f"{wording} ({flag} = 1)").alias("detail"),
        )
        for flag, (kind, sector, wording) in FLAG_MEASURES.items()
    ]
    trade, trade_skips = _trade_measures(cases.filter(pl.col("trade") == "1"))
    none_flagged = cases.filter(~pl.any_horizontal([pl.col(f) == "1" for f in FLAGS]).fill_null(False))
    no_measure = skipped(none_flagged, "trade", "the case flags no measure (trade, arms, military, financial, "
                         "travel and other are not 1)", value=pl.lit(None))
    measures = pl.concat([trade, *flagged]).cast(MEASURE_SCHEMA)
    return measures, pl.concat([bad_flags, trade_skips, no_measure])


def _trade_measures(traded: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``export_ban``/``import_ban`` per ``exp_*``/``imp_*`` item of ``descr_trade``, and unreadable items."""
    items = (
        traded.select(ROW, "descr_trade", pl.col("descr_trade").str.split(",").alias("_item"))
        .explode("_item")
        .with_columns(pl.col("_item").str.strip_chars().str.to_lowercase().replace("", None))
        .filter(pl.col("_item").is_not_null())
        .with_columns(pl.col("_item").str.slice(0, 4).alias("_prefix"), pl.col("_item").str.slice(4).alias("_scope"))
    )
    kinds = pl.DataFrame(
        [(p, kind, wording) for p, (kind, wording) in TRADE_PREFIXES.items()],
        schema=["_prefix", "measure_type", "_wording"], orient="row",
    )
    scopes = pl.DataFrame(list(TRADE_SCOPES.items()), schema=["_scope", "_scope_word"], orient="row")
    typed = items.join(kinds, on="_prefix", how="left").join(scopes, on="_scope", how="left")
    measures = typed.filter(pl.col("measure_type").is_not_null()).select(
        ROW, "measure_type", pl.lit(None, pl.String).alias("sector"),
        pl.format("{} ({})", pl.concat_str(pl.col("_scope_word"), pl.col("_wording"), separator=" ",
                                             ignore_nulls=True), "_item").alias("detail"),
    )
    unknown = skipped(
        typed.filter(pl.col("measure_type").is_null()), "descr_trade",
        pl.format("trade item '{}' is neither exp_* (export ban) nor imp_* (import ban)", "_item"),
        value=pl.col("_item"),
    )
    without = traded.join(measures, on=ROW, how="anti")
    empty = skipped(without, "descr_trade", "trade is 1 but descr_trade names no exp_* or imp_* item: "
                    "export or import ban unknown")
    return measures, pl.concat([unknown, empty])


def split_names(values: list[str]) -> dict[str, list[str]]:
    """Each value's names: comma-separated parts, the longest run of parts with a known name kept together."""
    parts = {value: [p.strip() for p in value.split(",") if p.strip()] for value in values}
    spans = {", ".join(ps[i:j]) for ps in parts.values() for i in range(len(ps)) for j in range(i + 2, len(ps) + 1)}
    resolved = countries.resolve(pl.Series(sorted(spans), dtype=pl.String), countries.KINDS)
    known = set(resolved.filter(pl.col("kind").is_not_null()).get_column("value"))
    names: dict[str, list[str]] = {}
    for value, ps in parts.items():
        found, i = [], 0
        while i < len(ps):
            j = next((j for j in range(len(ps), i + 1, -1) if ", ".join(ps[i:j]) in known), i + 1)
            found.append(", ".join(ps[i:j]))
            i = j
        names[value] = found
    return names


def _parties(cases: pl.DataFrame, column: str, kinds: tuple[str, ...]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``ROW`` and code of each sender (or target) of each case, and the parts that resolve to nothing allowed."""
    values = cases.get_column(column).drop_nulls().unique().sort().to_list()
    table = pl.DataFrame(
        [(value, name) for value, names in split_names(values).items() for name in names],
        schema={column: pl.String, "_name": pl.String}, orient="row",
    )
    resolved = countries.resolve(table.get_column("_name"), kinds)
    table = table.with_columns(resolved.get_column("code").alias("_code"), resolved.get_column("kind").alias("_kind"))
    reasons = _unresolved_reasons(table.filter(pl.col("_code").is_null()), column, kinds)
    joined = cases.select(ROW, column).join(table, on=column, how="left")
    parties = joined.filter(pl.col("_code").is_not_null()).select(ROW, "_code").unique()
    missing = cases.filter(pl.col(column).is_null())
    bad = joined.filter(pl.col("_code").is_null() & pl.col("_name").is_not_null()).join(reasons, on=[column, "_name"])
    skips = pl.concat([
        skipped(bad, column, pl.col("_reason"), value=pl.col("_name")),
        skipped(missing, column, f"empty {column}: the case names no {'sender' if column == SENDER else 'target'}"),
    ])
    return parties, skips


def _unresolved_reasons(unresolved: pl.DataFrame, column: str, kinds: tuple[str, ...]) -> pl.DataFrame:
    """Why each unresolved name is not loaded (one reason per distinct name, with suggestions)."""
    role = "sender" if column == SENDER else "target"
    wanted = "country" if len(kinds) == 1 else f"{', '.join(kinds[:-1])} or {kinds[-1]}"
    rows = []
    for field, name, kind in unresolved.unique([column, "_name"]).select(column, "_name", "_kind").iter_rows():
        if kind is not None:
            article = "an" if kind[0] in "aeiou" else "a"
            reason = f"{role} {name!r} is {article} {kind}, not a {wanted}: the sanctions {role} must be a {wanted}"
        else:
            close = countries.suggest(name)
            hint = f"closest known names: {', '.join(close)}" if close else "no close known name"
            reason = f"{role} {name!r} names no known {wanted} ({hint}); not guessed"
        if field != name:
            reason += f"; one of the names in {field!r}, the others are mapped on their own"
        rows.append((field, name, reason))
    return pl.DataFrame(rows, schema={column: pl.String, "_name": pl.String, "_reason": pl.String}, orient="row")


def _rows(cases: pl.DataFrame, measures: pl.DataFrame, senders: pl.DataFrame, targets: pl.DataFrame,
          last_year: int | None) -> pl.DataFrame:
    """Cases × measures × senders × targets, one row per ``measure_id``, in the contract's text format."""
    expanded = (
        cases.join(measures, on=ROW)
        .join(senders.rename({"_code": "imposed_by"}), on=ROW)
        .join(targets.rename({"_code": "target"}), on=ROW)
        .with_columns(
            pl.concat_str(
                pl.lit("gsdb"), "case_id", "imposed_by", "target", "measure_type", "sector",
                separator=":", ignore_nulls=True,
            ).alias("measure_id")
        )
    )
    grouped = expanded.group_by("measure_id").agg(
        pl.col(ROW).min(),
        row_ranges(pl.col(ROW)).alias(SOURCE_ROWS),
        pl.col("detail").unique().sort().str.join("; "),
        *[pl.col(c).first() for c in ("case_id", "imposed_by", "target", "measure_type", "sector", "_begin",
                                      "_end", SENDER, TARGET, "objective")],
    )
    ongoing = pl.col("_end") == pl.lit(last_year)
    return grouped.select(
        "measure_id",
        pl.format("{}-01-01", "_begin").alias("announced_on"),
        "imposed_by",
        "target",
        "measure_type",
        "sector",
        pl.when(ongoing).then(pl.lit("in_force")).otherwise(pl.lit("lifted")).alias("status"),
        _description(ongoing, last_year).alias("description"),
        pl.lit(None, pl.String).alias("source_url"),
        pl.lit(SOURCE_NAME).alias("source_name"),
        pl.lit("year").alias("date_precision"),
        pl.col(ROW).cast(pl.Int64),
        SOURCE_ROWS,
    ).sort(ROW, "measure_id")


def _description(ongoing: pl.Expr, last_year: int | None) -> pl.Expr:
    """The case, its parties as the source writes them, its years, the measure's detail, the objective."""
    span = pl.when(ongoing).then(pl.format("{}-{}, ongoing at the data's last year ({})", "_begin", "_end",
                                           pl.lit(last_year)))
    span = span.otherwise(pl.format("{}-{}, ended in {}", "_begin", "_end", "_end"))
    objective = pl.when(pl.col("objective").is_not_null()).then(
        pl.format(" Objective: {}.", pl.col("objective").str.replace_all(r",\s*", ", "))
    )
    return pl.concat_str(
        pl.format("GSDB case {}: {} by {} on {} ({}).", "case_id", "detail", SENDER, TARGET, span),
        objective.otherwise(pl.lit("")),
        pl.lit(" The source gives years only: announced_on is 1 January of the first year."),
    )


FORMAT = SourceFormat(
    name="gsdb",
    dataset="sanctions",
    publisher="Global Sanctions Data Base (GSDB)",
    description="GSDB V3 case list: one row per sanctions case (senders, target, years, measure flags), "
                "mapped to one measure per case, sender, target and measure type.",
    header=HEADER,
    map=map_gsdb,
    default_url=None,
    documentation_url="https://www.globalsanctionsdatabase.com/",
)
