"""``canada-sema``: Canada's Consolidated Special Economic Measures Act list (``sema-lmes.xml``) → ``designations``.

Publisher: Global Affairs Canada, the consolidated list of persons sanctioned under the Special
Economic Measures Act (and the Justice for Victims of Corrupt Foreign Officials Act), at
https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml.
The Government of Canada's terms apply; the file is not redistributed with the project. One
file is one snapshot of the list. **It carries no date of its own** (no attribute on the root,
no generation date; the newest ``DateOfListing`` only bounds it from below), so ``as_of``
comes from ``--as-of``, else a date in the file name (``sema-lmes_2025-05-25.xml``), else the
download date when pulled; a file without any is rejected asking for ``--as-of``.

The file: XML, ``<data-set>`` holding one ``<record>`` per listing, each with text fields
(any of them may be absent): ``Country`` (the regime, bilingual: ``Russia / Russie``),
``LastName``, ``GivenName`` (persons), ``EntityOrShip`` (entities and ships), ``TitleOrShip``
(a person's title, a ship's type), ``Aliases``, ``DateOfBirthOrShipBuildDate``,
``ShipIMONumber``, ``Schedule`` (the part of the regulation's schedule: ``1, Part 1``), ``Item``
(the number in that part; **reassigned between releases**, so not an id) and ``DateOfListing``.
Older releases call three fields ``Entity``, ``DateOfBirth`` and ``Title`` and have no
``DateOfListing``: both are read (:data:`OLDER_NAMES`).

Reading (:func:`read_sema`, with :mod:`ingestion.sources._xml`, standard-library expat): one
row per ``<record>``, String columns named as the current fields (every one of
:data:`COLUMNS` present), ``__row`` = **the line of the file on which the record's
``<record>`` tag stands**. Not well-formed XML, another root, an element other than
``<record>`` in ``<data-set>`` or a file without records is rejected whole, naming the line.
Recognition (:func:`sniff_sema`): the root is ``<data-set>``, its first element a ``<record>``
whose first element is one of the fields.

Mapping, one entry per record (values trimmed, runs of whitespace, non-breaking spaces
included, as one space):

- ``list_id`` ``ca_sema``, ``imposed_by`` CAN, ``listed_on`` ``DateOfListing`` (null in older
  releases).
- The regime (``Country``) through the reviewed lookup
  ``ingestion/reference/canada_sema_regimes.csv`` (regime as written, ``code``, ``target``,
  source; matched on the name key): ``code`` is a short stable name of the regime (the ISO
  alpha-3 code of its country, or ``JVCFOR``, ``HAMAS``, ``SETTLER_VIOLENCE``), ``target`` the
  country it targets: Russia's regime gives RUS, and so does Ukraine's (Russia's violations of
  Ukraine's sovereignty, as Global Affairs Canada describes it; the same reading as OFAC's
  Ukraine programmes), Belarus' BLR; the worldwide and non-state regimes give none. A regime
  not in the lookup gives a null target and is counted (``records_of_unknown_regime``, and
  per regime), never guessed; its entries use the regime's name key as their code.
- ``entity_type``: ``person`` where ``LastName`` or ``GivenName`` is given, ``vessel`` where
  ``EntityOrShip`` is given with a ``ShipIMONumber``, else ``organisation``. ``name``:
  ``LastName, GivenName`` (either alone where only one is given), else ``EntityOrShip``.
- ``programmes``: ``<code> (Schedule <Schedule>)``, e.g. ``RUS (Schedule 1, Part 1)``, ``UKR
  (Schedule Part 2)``; the code alone where the record has no ``Schedule`` (a regime not in
  the lookup: its name as written).
- ``birth_date`` (persons): ``DateOfBirthOrShipBuildDate`` when it is ``YYYY-MM-DD``,
  ``YYYY-MM`` or ``YYYY``; of alternatives (``1972-08-10 or 1972-08-11``) the first;
  anything else (``1963-1964``, ``born in the early 1970s``) gives none and is counted.
  ``imo_number`` (vessels): ``ShipIMONumber`` (an ``IMO`` prefix dropped; a value that is not
  7 digits is reported by the dataset's validation and the entry skipped).
- ``remarks``: what else the record says, as listed: ``Aliases: ...``, ``Title: ...`` (a
  ship's ``Ship type: ...``), ``Date of birth: ...`` (a ship's ``Built: ...``), ``Item N``.
- ``source_name`` "Global Affairs Canada, Consolidated Canadian Autonomous Sanctions List
  (sema-lmes.xml)", ``source_url`` the list's download address.

Identity (``entry_id``). The list has no stable id, so an entry is what stays the same
between releases, written readably: ``<code>|<name key>|<birth_date>`` for a person with a
date of birth (``BLR|barsukov aleksandr petrovich|1965-04-29``), ``<code>|<name key>``
without one and for an organisation, ``<code>|IMO <number>`` for a vessel (a ship keeps its
IMO number for life while its name changes, so a renamed ship is ``renamed``, not delisted
and listed again). The name key (:func:`ingestion.normalize.names.name_key`) is the name
case-folded, without accents, punctuation or symbols, whitespace collapsed. The same person
under two regimes is two entries. Changing this rule, or a regime's code, changes ids: every
entry would look delisted and listed again.

Reported in ``Mapped.skipped`` (line, column, value, reason), never guessed: a record
without a regime; with both a person's name and ``EntityOrShip``, or with no name at all; a
name without letters or digits (no identity); **a record with the same identity as an
earlier one of the file** (the later one is skipped, its reason naming the first line:
``same identity as line N: ...``). ``Mapped.counts``: records, entries mapped, entries per
regime code and per target, identity collisions, records of unknown regimes (in all and per
regime), dates of birth given and normalised, vessels with an IMO number, and records using
fields the mapping does not know (per field), which are otherwise not loaded.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from ingestion.normalize import countries
from ingestion.normalize.names import name_key
from ingestion.normalize.values import parse_partial_date
from ingestion.readers import ROW
from ingestion.sources._lookup import KEY, read_lookup
from ingestion.sources._xml import XmlLayout, read_records, sniff_layout
from ingestion.sources.base import SOURCE_ROWS, Mapped, SourceFormat, SourceOptionError, SourceOptions, skipped

#: The fields of a record, as the current releases name them.
COLUMNS = (
    "Country", "LastName", "GivenName", "EntityOrShip", "TitleOrShip", "Aliases", "DateOfBirthOrShipBuildDate",
    "ShipIMONumber", "Schedule", "Item", "DateOfListing",
)
#: Older releases' names of the same fields.
OLDER_NAMES = {"Entity": "EntityOrShip", "DateOfBirth": "DateOfBirthOrShipBuildDate", "Title": "TitleOrShip"}
LAYOUT = XmlLayout(what="a Canada SEMA list (sema-lmes.xml)", root="data-set", records=(("record",),),
                   columns=COLUMNS, renames=OLDER_NAMES)

LIST_ID = "ca_sema"
IMPOSED_BY = "CAN"
SOURCE_NAME = "Global Affairs Canada, Consolidated Canadian Autonomous Sanctions List (sema-lmes.xml)"
SOURCE_URL = ("https://www.international.gc.ca/world-monde/assets/office_docs/"
              "international_relations-relations_internationales/sanctions/sema-lmes.xml")
#: the reviewed regime lookup (regime, code, target, source).
REGIMES_FILE = countries.REFERENCE_DIR / "canada_sema_regimes.csv"
REGIME_COLUMNS = ("regime", "code", "target", "source")
#: separates the parts of an identity; a name key never holds it.
ID_SEPARATOR = "|"
#: separates alternative dates of birth (``1972-08-10 or 1972-08-11``).
ALTERNATIVES = r"(?i)\s+or\s+"


# --- reading --------------------------------------------------------------------------------------


def read_sema(path: Path) -> pl.DataFrame:
    """The records of a ``sema-lmes.xml`` as String columns :data:`COLUMNS` (and any other field), plus ``__row``."""
    frame, _root_attributes = read_records(path, LAYOUT)
    return frame


def sniff_sema(path: Path) -> bool:
    """True when ``path`` starts like a ``sema-lmes.xml``: ``<data-set>``, a ``<record>``, one of its fields."""
    return sniff_layout(path, LAYOUT, first_fields=(*COLUMNS, *OLDER_NAMES))


# --- mapping --------------------------------------------------------------------------------------


def map_sema(frame: pl.DataFrame, options: SourceOptions) -> Mapped:
    """SEMA records as ``designations`` rows, one per record, for the snapshot date ``options.as_of``."""
    if options.as_of is None:
        raise SourceOptionError(
            "the Canada SEMA list carries no date: pass --as-of YYYY-MM-DD (the date of this snapshot), "
            "or keep the date in the file name (sema-lmes_2025-05-25.xml)"
        )
    records = _with_regime(_canonical(frame))
    entries, unnamed = _named(records)
    identified = _identified(entries)
    kept, collisions = _first_of_each_identity(identified)
    rows = kept.select(
        pl.lit(LIST_ID).alias("list_id"),
        pl.lit(IMPOSED_BY).alias("imposed_by"),
        pl.lit(options.as_of.isoformat()).alias("as_of"),
        "entry_id",
        "name",
        "entity_type",
        "programmes",
        "target",
        "remarks",
        pl.col("DateOfListing").alias("listed_on"),
        "birth_date",
        "imo_number",
        pl.lit(SOURCE_URL).alias("source_url"),
        pl.lit(SOURCE_NAME).alias("source_name"),
        pl.col(ROW).cast(pl.Int64),
        pl.col(ROW).cast(pl.String).alias(SOURCE_ROWS),
    ).sort(ROW)
    skips = pl.concat([unnamed, collisions]).sort("row")
    return Mapped(rows=rows, skipped=skips, counts=_counts(frame, records, identified, kept, collisions))


def _clean(value: pl.Expr) -> pl.Expr:
    """Runs of whitespace (non-breaking spaces too) as one space, trimmed; empty as null."""
    text = value.cast(pl.String).str.replace_all(r"\s+", " ").str.strip_chars(" ")
    return pl.when(text != "").then(text)


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """Every field of :data:`COLUMNS` (absent ones null), cleaned, with ``__row``."""
    return frame.select(
        pl.col(ROW).cast(pl.Int64),
        *[_clean(pl.col(c)).alias(c) if c in frame.columns else pl.lit(None, pl.String).alias(c) for c in COLUMNS],
    )


def _with_regime(records: pl.DataFrame) -> pl.DataFrame:
    """Records with the regime's ``code`` (its name key where the lookup lacks it), ``target`` and ``known_regime``."""
    lookup = regimes().select(KEY, pl.col("code").alias("_code"), "target")
    return (
        records.with_columns(name_key(pl.col("Country")).alias("_regime_key"))
        .join(lookup, left_on="_regime_key", right_on=KEY, how="left", maintain_order="left")
        .with_columns(
            pl.col("_code").is_not_null().alias("known_regime"),
            pl.coalesce("_code", "_regime_key").alias("code"),
            pl.coalesce("_code", "Country").alias("_label"),
        )
    )


def _named(records: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Records with ``entity_type`` and ``name``, and the records that cannot have them (as skips)."""
    person = pl.col("LastName").is_not_null() | pl.col("GivenName").is_not_null()
    entity = pl.col("EntityOrShip").is_not_null()
    no_regime = records.filter(pl.col("Country").is_null())
    rest = records.filter(pl.col("Country").is_not_null())
    both = rest.filter(person & entity)
    neither = rest.filter(~person & ~entity)
    person_name = pl.concat_str(["LastName", "GivenName"], separator=", ", ignore_nulls=True)
    skips = pl.concat([
        skipped(no_regime, "Country", "no Country (the regime): an entry's identity is its regime, name and date of "
                "birth or IMO number"),
        skipped(both, "EntityOrShip", "both a person's name (LastName/GivenName) and EntityOrShip: the entry's type "
                "is unknown, not guessed", value=pl.format("{} / {}", person_name, pl.col("EntityOrShip"))),
        skipped(neither, "LastName", "no name (LastName, GivenName or EntityOrShip)"),
    ])
    named = rest.filter(person ^ entity).with_columns(
        pl.when(person).then(pl.lit("person"))
        .when(pl.col("ShipIMONumber").is_not_null()).then(pl.lit("vessel"))
        .otherwise(pl.lit("organisation")).alias("entity_type"),
        pl.when(person).then(person_name).otherwise(pl.col("EntityOrShip")).alias("name"),
    )
    return named, skips


def first_birth_date(value: pl.Expr) -> pl.Expr:
    """The first of ``A or B`` alternatives that is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; null if none is."""
    return (
        value.str.replace_all(ALTERNATIVES, "\x1f").str.split("\x1f")
        .list.eval(parse_partial_date(pl.element())).list.drop_nulls().list.first()
    )


def _identified(entries: pl.DataFrame) -> pl.DataFrame:
    """Entries with ``birth_date``, ``imo_number``, ``programmes``, ``remarks`` and ``entry_id`` (null: no name key)."""
    is_person = pl.col("entity_type") == "person"
    is_vessel = pl.col("entity_type") == "vessel"
    dob = pl.col("DateOfBirthOrShipBuildDate")
    schedule = pl.col("Schedule").str.replace_all(r"\s*,\s*", ", ")
    sep = ID_SEPARATOR
    return entries.with_columns(
        pl.when(is_person).then(first_birth_date(dob)).alias("birth_date"),
        pl.when(is_vessel).then(pl.col("ShipIMONumber").str.replace(r"(?i)^IMO\s*", "")).alias("imo_number"),
        name_key(pl.col("name")).alias("_name_key"),
    ).with_columns(
        pl.when(pl.col("_name_key").is_null()).then(None)
        .when(is_vessel).then(pl.concat_str([pl.col("code"), pl.lit(f"{sep}IMO "), pl.col("imo_number")]))
        .when(pl.col("birth_date").is_not_null())
        .then(pl.concat_str(["code", "_name_key", "birth_date"], separator=sep))
        .otherwise(pl.concat_str(["code", "_name_key"], separator=sep)).alias("entry_id"),
        pl.when(pl.col("Schedule").is_not_null()).then(pl.format("{} (Schedule {})", pl.col("_label"), schedule))
        .otherwise(pl.col("_label")).alias("programmes"),
        pl.concat_str([
            pl.format("Aliases: {}", pl.col("Aliases")),
            pl.when(is_vessel).then(pl.format("Ship type: {}", pl.col("TitleOrShip")))
            .otherwise(pl.format("Title: {}", pl.col("TitleOrShip"))),
            pl.when(is_person).then(pl.format("Date of birth: {}", dob)).otherwise(pl.format("Built: {}", dob)),
            pl.when(~is_vessel).then(pl.format("IMO number: {}", pl.col("ShipIMONumber"))),
            pl.format("Item {}", pl.col("Item")),
        ], separator="; ", ignore_nulls=True).alias("remarks"),
    )


def _first_of_each_identity(entries: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Entries whose identity no earlier record of the file has; the others (and those without one) as skips."""
    without = entries.filter(pl.col("entry_id").is_null())
    marked = entries.filter(pl.col("entry_id").is_not_null()).with_columns(
        pl.col(ROW).min().over("entry_id").alias("_first_line"))
    later = marked.filter(pl.col(ROW) != pl.col("_first_line"))
    reason = pl.format(
        "same identity as line {}: {} (the list has no id of its own: an entry is its regime, name and date of "
        "birth or IMO number); the later record is skipped", pl.col("_first_line"), pl.col("entry_id"))
    skips = pl.concat([
        skipped(without, "name", "the name has no letter or digit: the entry has no identity"),
        skipped(later, "entry_id", reason),
    ])
    return marked.filter(pl.col(ROW) == pl.col("_first_line")), skips


@cache
def regimes(path: Path = REGIMES_FILE) -> pl.DataFrame:
    """The reviewed regime lookup (regime, code, target, source, ``_key``); raises if it is inconsistent."""
    table = read_lookup(path, "regime", REGIME_COLUMNS)
    bad_codes = table.filter(pl.col("code").str.contains(ID_SEPARATOR, literal=True)
                             | pl.col("code").is_duplicated()).get_column("code").unique().sort().to_list()
    if bad_codes:
        raise countries.ReferenceDataError(
            f"{path.name}: code(s) repeated or holding {ID_SEPARATOR!r}: {', '.join(bad_codes)}")
    return table


def _counts(frame: pl.DataFrame, records: pl.DataFrame, identified: pl.DataFrame, rows: pl.DataFrame,
            collisions: pl.DataFrame) -> dict[str, int]:
    """Figures for the load report (``rows``: the entries mapped, with their regime ``code``)."""
    counts = {"records": frame.height, "entries_mapped": rows.height}
    for code, n in rows.group_by("code").len().sort("code").iter_rows():
        counts[f"entries_regime_{code}"] = n
    per_target = rows.filter(pl.col("target").is_not_null()).group_by("target").len().sort("target")
    counts |= {f"entries_targeting_{target}": n for target, n in per_target.iter_rows()}
    counts["identity_collisions"] = collisions.filter(pl.col("column") == "entry_id").height
    unknown = records.filter(~pl.col("known_regime") & pl.col("Country").is_not_null())
    counts["records_of_unknown_regime"] = unknown.height
    for regime, n in unknown.group_by("Country").len().sort("Country").iter_rows():
        counts[f"records_of_unknown_regime {regime}"] = n
    persons = identified.filter(pl.col("entity_type") == "person")
    counts["birth_dates_given"] = persons.filter(pl.col("DateOfBirthOrShipBuildDate").is_not_null()).height
    counts["birth_dates_normalised"] = persons.filter(pl.col("birth_date").is_not_null()).height
    counts["vessels_with_imo_number"] = identified.filter(pl.col("imo_number").is_not_null()).height
    for name in frame.columns:
        if name not in (ROW, *COLUMNS):
            counts[f"records_with_unmapped_field {name}"] = frame.get_column(name).drop_nulls().len()
    return counts


FORMAT = SourceFormat(
    name="canada-sema",
    dataset="designations",
    publisher="Global Affairs Canada",
    description="Canada's Consolidated Special Economic Measures Act list, sema-lmes.xml (XML, one <record> per "
                "listing, no id and no date of its own): one designations row per entry, identity = regime + "
                "name + date of birth or IMO number, dated by --as-of.",
    header=COLUMNS,
    map=map_sema,
    default_url=SOURCE_URL,
    read=read_sema,
    sniff=sniff_sema,
    needs_as_of=True,
)
