"""``un-consolidated``: the UN Security Council Consolidated List (``consolidated.xml``) → ``designations``.

Publisher: United Nations Security Council, the consolidated list of individuals and entities
subject to its sanctions measures, at https://scsanctions.un.org/resources/xml/en/consolidated.xml
(UN terms of use; the file is not redistributed with the project). One file is one snapshot
of the list, dated by its own ``dateGenerated``.

The file: XML, ``<CONSOLIDATED_LIST dateGenerated="2025-04-19T23:00:04.625Z">`` holding
``<INDIVIDUALS>`` of ``<INDIVIDUAL>`` and ``<ENTITIES>`` of ``<ENTITY>``. A record's fields:
``DATAID`` (the list's stable id), ``VERSIONNUM``, ``FIRST_NAME`` .. ``FOURTH_NAME`` (an
entity's name is in ``FIRST_NAME``), ``UN_LIST_TYPE`` (the sanctions regime: ``DPRK``,
``Al-Qaida``, ``Taliban``, ``Iraq``, ...), ``REFERENCE_NUMBER`` (``KPi.033``), ``LISTED_ON``
(``2016-11-30``, sometimes with a time zone: ``2015-04-14-04:00``), ``COMMENTS1``,
``NAME_ORIGINAL_SCRIPT``, and repeated groups: ``NATIONALITY``, ``INDIVIDUAL_ALIAS``,
``INDIVIDUAL_DATE_OF_BIRTH`` (``TYPE_OF_DATE`` EXACT / APPROXIMATELY / BETWEEN with ``DATE``,
``YEAR`` or ``FROM_YEAR``/``TO_YEAR``, or only a ``NOTE``), addresses, documents.

Reading (:func:`read_consolidated`, with :mod:`ingestion.sources._xml`, standard-library
expat): one row per ``<INDIVIDUAL>`` or ``<ENTITY>``, String columns: ``element`` (which of
the two), ``dateGenerated`` (the root's attribute, on every row), each field's text, and each
repeated group as JSON (a list of objects, one per occurrence, child tag → texts); ``__row`` =
**the line of the file on which the record's start tag stands** (in the 2020 release every
record is one long line; in the 2025 release a record spans many). Not well-formed XML,
another root, an element other than the two record kinds in their containers, or a file
without records is rejected whole, naming the line. Recognition (:func:`sniff_consolidated`):
the root is ``<CONSOLIDATED_LIST>`` and its first record an ``INDIVIDUALS/INDIVIDUAL`` or
``ENTITIES/ENTITY``.

Mapping, one entry per record:

- ``list_id`` ``un_consolidated``, ``imposed_by`` UN (the organisation), ``entry_id``
  ``DATAID``.
- ``as_of``: ``--as-of`` where given, else the date of ``dateGenerated`` as written (its local
  date: ``2020-11-24T20:23:07.617-05:00`` is 2020-11-24); a file with neither is rejected
  asking for ``--as-of``.
- ``entity_type``: ``INDIVIDUAL`` → person, ``ENTITY`` → organisation. ``name``: an
  individual's ``FIRST_NAME`` .. ``FOURTH_NAME`` joined by spaces, in the list's order (given
  name first); an entity's ``FIRST_NAME``; whitespace collapsed.
- ``programmes``: ``UN_LIST_TYPE``. ``target`` by the reviewed lookup
  ``ingestion/reference/un_list_types.csv`` (list_type, target, source): ``DPRK`` → PRK,
  ``Iraq`` → IRQ, ``Iran`` → IRN, ``DRC`` → COD, ``CAR`` → CAF, ``GB`` (Guinea-Bissau) → GNB,
  ``Taliban`` → AFG (the 1988 regime concerns the peace and security of Afghanistan),
  ``Al-Qaida`` → none (a worldwide regime against terrorist groups), ...; a list type not in
  the lookup gives a null target and is counted, never guessed. Nothing assumes a Russia
  regime: there is none in the list, and one would need its lookup row like any other.
- ``listed_on``: ``LISTED_ON`` without its time zone.
- ``birth_date`` (individuals): of the ``INDIVIDUAL_DATE_OF_BIRTH`` groups in the file's order,
  the first giving a ``DATE`` (``YYYY-MM-DD``) or a ``YEAR`` (``YYYY``; an ``APPROXIMATELY``
  year is kept as the year the list states); ``BETWEEN`` ranges and notes give none (counted).
- ``remarks``: ``Reference number <REFERENCE_NUMBER>; <COMMENTS1>``.
- ``source_name`` "United Nations Security Council, Consolidated List (consolidated.xml)",
  ``source_url`` the list's download address.

Reported: a record whose ``element`` is neither kind cannot occur (the reader refuses the
file); other problems of a mapped row (an empty ``DATAID`` or name, a ``DATAID`` repeated in
the file, a ``LISTED_ON`` that is not a date or lies after ``as_of``) are found by the
dataset's normalisation and validation, which skip and report the row with its line.
``Mapped.counts``: records, individuals, entities, entries per list type and per target,
records of unknown list types (in all and per type), dates of birth given and normalised.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import polars as pl

from ingestion.normalize import countries
from ingestion.normalize.names import name_key
from ingestion.normalize.values import parse_partial_date
from ingestion.readers import ROW
from ingestion.sources._lookup import KEY, read_lookup
from ingestion.sources._xml import XmlLayout, read_records, sniff_layout
from ingestion.sources.base import SOURCE_ROWS, Mapped, SourceFormat, SourceOptionError, SourceOptions

ELEMENT = "element"
GENERATED = "dateGenerated"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
FIELDS = ("DATAID", "VERSIONNUM", *NAME_PARTS, "UN_LIST_TYPE", "REFERENCE_NUMBER", "LISTED_ON", "COMMENTS1",
          "INDIVIDUAL_DATE_OF_BIRTH")
#: the columns :func:`read_consolidated` always gives (besides ``__row``).
COLUMNS = (ELEMENT, GENERATED, *FIELDS)
LAYOUT = XmlLayout(what="a UN Security Council Consolidated List (consolidated.xml)", root="CONSOLIDATED_LIST",
                   records=(("INDIVIDUALS", "INDIVIDUAL"), ("ENTITIES", "ENTITY")), columns=FIELDS,
                   element_column=ELEMENT)
ENTITY_TYPES = {"INDIVIDUAL": "person", "ENTITY": "organisation"}
#: one ``INDIVIDUAL_DATE_OF_BIRTH`` group as the reader writes it in JSON.
BIRTH_DATES = pl.List(pl.Struct({name: pl.List(pl.String) for name in (
    "TYPE_OF_DATE", "DATE", "YEAR", "FROM_YEAR", "TO_YEAR", "NOTE")}))
#: an xs:date, possibly with a time zone; group 1 is the date.
XS_DATE = r"^\s*(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?\s*$"

LIST_ID = "un_consolidated"
IMPOSED_BY = "UN"
SOURCE_NAME = "United Nations Security Council, Consolidated List (consolidated.xml)"
SOURCE_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
#: the reviewed list type → target lookup (list_type, target, source).
LIST_TYPES_FILE = countries.REFERENCE_DIR / "un_list_types.csv"


# --- reading --------------------------------------------------------------------------------------


def read_consolidated(path: Path) -> pl.DataFrame:
    """The records of a ``consolidated.xml`` as String columns (:data:`COLUMNS` and any other field), plus ``__row``."""
    frame, attributes = read_records(path, LAYOUT)
    return frame.with_columns(pl.lit(attributes.get(GENERATED), pl.String).alias(GENERATED))


def sniff_consolidated(path: Path) -> bool:
    """True when ``path`` starts like a ``consolidated.xml``: ``<CONSOLIDATED_LIST>`` and a first record in place."""
    return sniff_layout(path, LAYOUT)


# --- mapping --------------------------------------------------------------------------------------


def map_consolidated(frame: pl.DataFrame, options: SourceOptions) -> Mapped:
    """Consolidated List records as ``designations`` rows, one per record, dated by ``--as-of`` or ``dateGenerated``."""
    as_of = options.as_of or generated_on(frame)
    if as_of is None:
        raise SourceOptionError(
            "the file has no readable dateGenerated on its <CONSOLIDATED_LIST>: pass --as-of YYYY-MM-DD "
            "(the date of this snapshot)"
        )
    records = _canonical(frame)
    is_person = pl.col(ELEMENT) == "INDIVIDUAL"
    lookup = list_types().select(KEY, "target", pl.lit(True).alias("known_list_type"))
    entries = (
        records.with_columns(name_key(pl.col("UN_LIST_TYPE")).alias("_list_key"))
        .join(lookup, left_on="_list_key", right_on=KEY, how="left", maintain_order="left")
        .with_columns(
            pl.col(ELEMENT).replace_strict(ENTITY_TYPES, default=None, return_dtype=pl.String).alias("entity_type"),
            pl.when(is_person).then(pl.concat_str(list(NAME_PARTS), separator=" ", ignore_nulls=True))
            .otherwise(pl.col("FIRST_NAME")).alias("name"),
            pl.when(is_person).then(_first_birth_date(pl.col("INDIVIDUAL_DATE_OF_BIRTH"))).alias("birth_date"),
            pl.coalesce(pl.col("LISTED_ON").str.extract(XS_DATE, 1), pl.col("LISTED_ON")).alias("listed_on"),
            pl.concat_str([pl.format("Reference number {}", pl.col("REFERENCE_NUMBER")), pl.col("COMMENTS1")],
                          separator="; ", ignore_nulls=True).alias("remarks"),
        )
    )
    rows = entries.select(
        pl.lit(LIST_ID).alias("list_id"),
        pl.lit(IMPOSED_BY).alias("imposed_by"),
        pl.lit(as_of.isoformat()).alias("as_of"),
        pl.col("DATAID").alias("entry_id"),
        "name",
        "entity_type",
        pl.col("UN_LIST_TYPE").alias("programmes"),
        "target",
        "remarks",
        "listed_on",
        "birth_date",
        pl.lit(None, pl.String).alias("imo_number"),
        pl.lit(SOURCE_URL).alias("source_url"),
        pl.lit(SOURCE_NAME).alias("source_name"),
        pl.col(ROW).cast(pl.Int64),
        pl.col(ROW).cast(pl.String).alias(SOURCE_ROWS),
    ).sort(ROW)
    # a snapshot covers the day it was taken (prepare_source falls back to --as-of, which may be absent here)
    return Mapped(rows=rows, counts=_counts(entries, rows), data_from=as_of, data_to=as_of)


def generated_on(frame: pl.DataFrame) -> date | None:
    """The date of the file's ``dateGenerated`` as written (``2020-11-24T20:23:07.617-05:00`` → 2020-11-24)."""
    if GENERATED not in frame.columns or frame.height == 0:
        return None
    text = frame.get_column(GENERATED)[0]
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _clean(value: pl.Expr) -> pl.Expr:
    """Runs of whitespace as one space, trimmed; empty as null."""
    text = value.cast(pl.String).str.replace_all(r"\s+", " ").str.strip_chars(" ")
    return pl.when(text != "").then(text)


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """The fields the mapping reads (absent ones null), text fields cleaned, with ``__row`` and ``element``."""
    def column(name: str) -> pl.Expr:
        if name not in frame.columns:
            return pl.lit(None, pl.String).alias(name)
        return pl.col(name) if name == "INDIVIDUAL_DATE_OF_BIRTH" else _clean(pl.col(name)).alias(name)

    return frame.select(pl.col(ROW).cast(pl.Int64), column(ELEMENT), *[column(c) for c in FIELDS])


def _first_birth_date(groups: pl.Expr) -> pl.Expr:
    """The first date of birth group giving a ``DATE`` or a ``YEAR``, as ``YYYY-MM-DD`` or ``YYYY``."""
    group = pl.element()
    one = pl.coalesce(
        parse_partial_date(group.struct.field("DATE").list.first().str.extract(XS_DATE, 1)),
        parse_partial_date(group.struct.field("YEAR").list.first().str.extract(r"^\s*(\d{4})\s*$", 1)),
    )
    return groups.str.json_decode(BIRTH_DATES).list.eval(one).list.drop_nulls().list.first()


def _birth_date_given(groups: pl.Expr) -> pl.Expr:
    """True where a date of birth group says anything (a date, a year, a range or a note), not only its type."""
    said = pl.concat_str([pl.element().struct.field(f).list.join("") for f in ("DATE", "YEAR", "FROM_YEAR",
                                                                               "TO_YEAR", "NOTE")],
                         ignore_nulls=True).str.strip_chars() != ""
    return groups.str.json_decode(BIRTH_DATES).list.eval(said).list.any().fill_null(False)


@cache
def list_types(path: Path = LIST_TYPES_FILE) -> pl.DataFrame:
    """The reviewed list type → target lookup (list_type, target, source, ``_key``); raises if it is inconsistent."""
    return read_lookup(path, "list_type", ("list_type", "target", "source"))


def _counts(entries: pl.DataFrame, rows: pl.DataFrame) -> dict[str, int]:
    """Figures for the load report."""
    counts = {"records": entries.height, "entries_mapped": rows.height,
              "individuals": entries.filter(pl.col(ELEMENT) == "INDIVIDUAL").height,
              "entities": entries.filter(pl.col(ELEMENT) == "ENTITY").height}
    for list_type, n in rows.group_by("programmes").len().sort("programmes", nulls_last=True).iter_rows():
        counts[f"entries_list_type {list_type}"] = n
    per_target = rows.filter(pl.col("target").is_not_null()).group_by("target").len().sort("target")
    counts |= {f"entries_targeting_{target}": n for target, n in per_target.iter_rows()}
    unknown = entries.filter(pl.col("known_list_type").is_null() & pl.col("UN_LIST_TYPE").is_not_null())
    counts["records_of_unknown_list_type"] = unknown.height
    for list_type, n in unknown.group_by("UN_LIST_TYPE").len().sort("UN_LIST_TYPE").iter_rows():
        counts[f"records_of_unknown_list_type {list_type}"] = n
    persons = entries.filter(pl.col(ELEMENT) == "INDIVIDUAL")
    counts["birth_dates_given"] = persons.filter(_birth_date_given(pl.col("INDIVIDUAL_DATE_OF_BIRTH"))).height
    counts["birth_dates_normalised"] = persons.filter(pl.col("birth_date").is_not_null()).height
    return counts


FORMAT = SourceFormat(
    name="un-consolidated",
    dataset="designations",
    publisher="United Nations Security Council",
    description="UN Security Council Consolidated List, consolidated.xml (XML, INDIVIDUALS and ENTITIES, DATAID "
                "identity, dateGenerated): one designations row per individual or entity, programme UN_LIST_TYPE, "
                "listed_on from LISTED_ON.",
    header=COLUMNS,
    map=map_consolidated,
    default_url=SOURCE_URL,
    read=read_consolidated,
    sniff=sniff_consolidated,
)
