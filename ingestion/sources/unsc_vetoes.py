"""``unsc-vetoes``: UN Security Council vetoes, 1946 to September 2022 → ``positions``.

Publisher: The World Politics Data Lab (Carlos L. Yordan), repository
world-politics-datalab/vetoes-un-security-council, file ``unsc_vetoes_1946_sept2022.csv``
(MIT licence). The facts are the UN Dag Hammarskjöld Library's "Security Council – Veto
List" (research.un.org/en/docs/sc/quick/veto), scraped in September 2022 (the file was added
on 16 September 2022) and coded by the Data Lab: a derived dataset, not the UN's own file. The
release the project knows is the repository's commit 661c5246872143cf16e500e4e7f2f70a45df5ac8
(bundled under ``data/raw/sources/unsc-vetoes/``): its raw address is every row's
``source_url`` unless the file was pulled from elsewhere. No newer release is published, so
the format has no download URL (``pull unsc-vetoes --from URL`` fetches one).

The file: CSV, one row per veto (214 in the 2022 release, 1946-02-16 to 2022-07-08; the
veto of 30 September 2022 came after the scrape), columns ``year``, ``date`` (M/D/YYYY),
``month``, ``draft`` (the draft resolution's symbol; for some 1946–1947 vetoes the meeting
record, as the UN list gives no draft), ``meeting_record`` (a few hold two symbols on two
lines), ``agenda_item``, ``crisis_topic`` (the Data Lab's topic: ``Ukraine``, ``Syria``,
...), ``region``, ``member_veto1..3`` (the vetoing members, as the file names them:
``USSR``, ``Russia``, ``USA``, ``UK``, ``France``, ``China``), then 0/1 columns per member and
per combination. Line endings are CRLF. Recognition: the header carries ``date``, ``draft``,
``meeting_record``, ``agenda_item``, ``crisis_topic`` and ``member_veto1..3``.

Mapping: each veto is one dated statement by each member named in ``member_veto1..3``:

- ``stated_on`` the veto's ``date``; ``stance`` ``oppose`` (a veto is a permanent member's
  vote against a draft that would otherwise have been adopted);
- ``issue`` ``un_security_council_action_on_ukraine`` where ``crisis_topic`` is ``Ukraine``
  (the 2014-03-15, 2015-07-29 and 2022-02-25 vetoes, all by Russia), else
  ``un_security_council_action`` (``ingestion/reference/issues.csv``);
- ``country`` the member as the file names it, resolved like any country name
  (:mod:`ingestion.normalize.countries`): ``USSR`` is the Soviet Union, ``SUN`` (ISO 3166-3),
  not Russia. A veto the USSR cast is the USSR's: the Russian Federation continued its seat
  from 24 December 1991, but it did not cast those vetoes, and the file itself names ``Russia``
  from 1993 on. ``China`` is the People's Republic (``CHN``), which has held the seat since
  25 October 1971 (General Assembly resolution 2758); a ``China`` veto dated before then would
  be the Republic of China's and is skipped, not mapped to either (the 2022 release has none);
- ``actor`` "<member as the file names it> (permanent member of the UN Security Council)";
- ``summary``: who vetoed which draft at which meeting, the members that vetoed it together,
  the agenda item and the Data Lab's topic. Where the file lists the same member vetoing the
  same draft on the same day more than once (1946–1947, when a draft's symbol is the meeting
  record; two such rows are identical), the summary numbers them ("veto 2 of 3 ..."), so that
  each veto stays a statement of its own;
- ``source_name`` :data:`SOURCE_NAME`; ``source_row`` the veto's line in the file (header =
  line 1; a quoted value spanning two lines moves the later rows down).

Not read: ``year`` and ``month`` (the date carries them), ``region``, ``single_veto``,
``multiple_vetoes`` and the 0/1 columns per member and combination. The members are taken from
the names in ``member_veto1..3`` only: in the 2022 release the 0/1 columns disagree with the
names on 26 rows (e.g. ``member_veto1`` ``USA`` with ``USA`` 0), and ``multiple_vetoes`` is
empty on one.

Reported in ``Mapped.skipped`` (row, column, value, reason), never guessed: a row whose
``date`` is not a valid M/D/YYYY date or that names no vetoing member (the whole veto); a
member that names no known country, or is not a country (that member's statement; the row's
other members still map); a ``China`` veto before 25 October 1971. A member named twice on one
row gives one statement.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ingestion.normalize import countries
from ingestion.readers import ROW
from ingestion.sources.base import SOURCE_ROWS, Mapped, SourceFormat, SourceOptions, skipped

NAME = "unsc-vetoes"
PUBLISHER = "The World Politics Data Lab, from the UN Dag Hammarskjöld Library's Security Council veto list"
SOURCE_NAME = ("UN Security Council vetoes 1946-2022, The World Politics Data Lab "
               "(from the UN Dag Hammarskjöld Library's veto list)")
#: The release the project knows (the repository's HEAD when it was read); SOURCE.md of the real data.
SOURCE_URL = ("https://raw.githubusercontent.com/world-politics-datalab/vetoes-un-security-council/"
              "661c5246872143cf16e500e4e7f2f70a45df5ac8/unsc_vetoes_1946_sept2022.csv")
MEMBERS = ("member_veto1", "member_veto2", "member_veto3")
HEADER = ("date", "draft", "meeting_record", "agenda_item", "crisis_topic", *MEMBERS)
ISSUE = "un_security_council_action"
ISSUE_ON_UKRAINE = "un_security_council_action_on_ukraine"
#: ``crisis_topic`` of the vetoes that go on :data:`ISSUE_ON_UKRAINE` (compared case-insensitively).
UKRAINE_TOPIC = "Ukraine"
STANCE = "oppose"
ACTOR = "{} (permanent member of the UN Security Council)"
#: The People's Republic of China holds China's seat from this day (General Assembly resolution 2758).
PRC_SEAT_FROM = date(1971, 10, 25)
DATE_FORM = r"^\d{1,2}/\d{1,2}/\d{4}$"

REASON_DATE = "not a valid date in the file's M/D/YYYY form; the veto is not loaded"
REASON_NO_MEMBER = "no vetoing member named (member_veto1, member_veto2 and member_veto3 are empty); not loaded"
REASON_ROC = ("a China veto before 25 October 1971 was cast by the Republic of China, not the People's Republic "
              "(General Assembly resolution 2758); not mapped to either")


def map_unsc_vetoes(frame: pl.DataFrame, options: SourceOptions) -> Mapped:
    """Vetoes as ``positions`` rows: one statement per veto and vetoing member."""
    del options  # the file carries everything it needs
    vetoes = _canonical(frame)
    valid, row_skips = _check_rows(vetoes)
    members, member_skips = _members(valid)
    rows = _rows(valid, members)
    skips = pl.concat([row_skips, member_skips]).sort("row", "column")
    dates = valid.join(members.select(ROW).unique(), on=ROW).get_column("_date")
    counts = {
        "vetoes": vetoes.height,
        "vetoes_mapped": rows.get_column(ROW).n_unique(),
        "statements": rows.height,
        "statements_on_ukraine": rows.filter(pl.col("issue") == ISSUE_ON_UKRAINE).height,
    }
    return Mapped(rows=rows, skipped=skips, counts=counts, data_from=dates.min(), data_to=dates.max())


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns this format reads, by their lower-case trimmed names, values trimmed, empty as null."""
    wanted = {c: c.strip().lower() for c in frame.columns if c.strip().lower() in HEADER}
    return frame.select(ROW, *wanted).rename(wanted).with_columns(
        pl.col(c).str.strip_chars().replace("", None) for c in HEADER
    )


def _check_rows(vetoes: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows with a valid date (typed ``_date``) and a member, and the rows skipped whole."""
    parsed = vetoes.with_columns(
        pl.when(pl.col("date").str.contains(DATE_FORM))
        .then(pl.col("date").str.strptime(pl.Date, "%m/%d/%Y", strict=False))
        .alias("_date")
    )
    bad_date = pl.col("_date").is_null()
    no_member = pl.all_horizontal(pl.col(c).is_null() for c in MEMBERS)
    skips = pl.concat([
        skipped(parsed.filter(bad_date), "date", REASON_DATE),
        skipped(parsed.filter(~bad_date & no_member), "member_veto1", REASON_NO_MEMBER),
    ])
    return parsed.filter(~bad_date & ~no_member), skips


def _members(vetoes: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per veto and member (``ROW``, ``_slot``, ``_member`` as written, ``_code``, ``_others``: the other
    members named), and the members skipped."""
    named = (
        vetoes.select(ROW, "_date", *MEMBERS)
        .unpivot(index=[ROW, "_date"], on=list(MEMBERS), variable_name="_slot", value_name="_member")
        .filter(pl.col("_member").is_not_null())
        .with_columns(countries.country_key(pl.col("_member")).alias("_key"))
        .sort(ROW, "_slot")
        .unique([ROW, "_key"], keep="first", maintain_order=True)
    )
    others = (
        named.join(named.select(ROW, pl.col("_slot").alias("_other_slot"), pl.col("_member").alias("_other")),
                   on=ROW)
        .filter(pl.col("_other_slot") != pl.col("_slot"))
        .group_by(ROW, "_slot")
        .agg(pl.col("_other").sort_by("_other_slot").str.join(" and ").alias("_others"))
    )
    named = named.join(others, on=[ROW, "_slot"], how="left")
    names = named.get_column("_member").unique().sort()
    resolved = countries.resolve(names, countries.KINDS)
    table = pl.DataFrame({"_member": names, "_code": resolved.get_column("code"),
                          "_kind": resolved.get_column("kind")})
    joined = named.join(table, on="_member", how="left")
    country = (pl.col("_kind") == "country").fill_null(False)
    roc = country & (pl.col("_code") == "CHN") & (pl.col("_date") < pl.lit(PRC_SEAT_FROM))
    unknown = joined.filter(~country)
    reasons = pl.DataFrame(
        [(name, _member_reason(name, kind)) for name, kind in unknown.unique("_member").select("_member", "_kind")
         .iter_rows()],
        schema={"_member": pl.String, "_reason": pl.String}, orient="row",
    )
    members = joined.filter(country & ~roc).select(ROW, "_slot", "_member", "_code", "_others")
    return members, _member_skips(unknown, reasons, joined.filter(roc))


def _member_skips(unknown: pl.DataFrame, reasons: pl.DataFrame, roc: pl.DataFrame) -> pl.DataFrame:
    """Skipped-row records of members that are not countries, and of China vetoes before 1971-10-25."""
    return pl.concat([
        unknown.join(reasons, on="_member").select(
            pl.col(ROW).cast(pl.Int64).alias("row"), pl.col("_slot").alias("column"),
            pl.col("_member").alias("value"), pl.col("_reason").alias("reason")),
        roc.select(pl.col(ROW).cast(pl.Int64).alias("row"), pl.col("_slot").alias("column"),
                   pl.col("_member").alias("value"), pl.lit(REASON_ROC).alias("reason")),
    ])


def _member_reason(name: str, kind: str | None) -> str:
    """Why a vetoing member is not mapped: not a country, or no known name (with the closest ones)."""
    if kind is not None:
        article = "an" if kind[0] in "aeiou" else "a"
        return f"member {name!r} is {article} {kind}, not a country: a veto is cast by a member state; not loaded"
    close = countries.suggest(name)
    hint = f"closest known names: {', '.join(close)}" if close else "no close known name"
    return f"member {name!r} names no known country ({hint}); not guessed"


def _rows(vetoes: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Vetoes × members in the contract's text format, one statement each."""
    statements = (
        members.join(vetoes, on=ROW)
        .with_columns(pl.col("meeting_record").str.replace_all(r"\s*\n\s*", " and "))
        .with_columns(
            pl.len().over("_date", "draft", "_code").alias("_times"),
            pl.col(ROW).rank("ordinal").over("_date", "draft", "_code").alias("_nth"),
        )
    )
    on_ukraine = (pl.col("crisis_topic").str.to_lowercase() == UKRAINE_TOPIC.lower()).fill_null(False)
    return statements.select(
        pl.col("_date").dt.strftime("%Y-%m-%d").alias("stated_on"),
        pl.col("_code").alias("country"),
        pl.when(on_ukraine).then(pl.lit(ISSUE_ON_UKRAINE)).otherwise(pl.lit(ISSUE)).alias("issue"),
        pl.lit(STANCE).alias("stance"),
        pl.format(ACTOR, "_member").alias("actor"),
        _summary().alias("summary"),
        pl.lit(None, pl.String).alias("source_url"),
        pl.lit(SOURCE_NAME).alias("source_name"),
        pl.col(ROW).cast(pl.Int64),
        pl.col(ROW).cast(pl.String).alias(SOURCE_ROWS),
    ).sort(ROW, "country")


def _summary() -> pl.Expr:
    """Who vetoed which draft at which meeting (with whom), the agenda item, the topic, and which of repeats."""
    draft = pl.coalesce(pl.format(" draft {}", "draft"), pl.lit(" a draft (the file names none)"))
    meeting = pl.coalesce(pl.format(" (meeting record {})", "meeting_record"), pl.lit(""))
    others = pl.coalesce(pl.format(", together with {}", "_others"), pl.lit(""))
    agenda = pl.coalesce(pl.format(" Agenda item: {}.", "agenda_item"), pl.lit(""))
    topic = pl.coalesce(pl.format(" Topic (The World Politics Data Lab): {}.", "crisis_topic"), pl.lit(""))
    repeat = pl.when(pl.col("_times") > 1).then(pl.format(
        " Veto {} of {} of this draft by {} on this day in the file.", "_nth", "_times", "_member"))
    return pl.concat_str(
        pl.col("_member"), pl.lit(" vetoed"), draft, meeting, others, pl.lit("."), agenda, topic,
        repeat.otherwise(pl.lit("")),
    )


FORMAT = SourceFormat(
    name=NAME,
    dataset="positions",
    publisher=PUBLISHER,
    description="UN Security Council vetoes 1946 to September 2022 (one row per veto): one statement per veto and "
                "vetoing member, stance oppose, on UN Security Council action (on Ukraine where the topic is "
                "Ukraine).",
    header=HEADER,
    map=map_unsc_vetoes,
    default_url=None,
    documentation_url=SOURCE_URL,
)
