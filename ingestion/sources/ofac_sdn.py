"""``ofac-sdn``: the US Treasury OFAC Specially Designated Nationals list (legacy ``sdn.csv``) → ``designations``.

Publisher: US Department of the Treasury, Office of Foreign Assets Control (OFAC), at
https://www.treasury.gov/ofac/downloads/sdn.csv (a US government work, public domain). One
file is one snapshot of the list; it carries no date of its own.

The file (OFAC's SDN data specification, ``dat_spec.txt``): **no header**, one record per
line, CRLF line ends, 12 comma-separated fields by position: ``ent_num, SDN_Name, SDN_Type,
Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks``. Text
fields are double-quoted (and may contain commas), ``ent_num`` is an unquoted integer, an
empty field is the token ``-0-`` (written ``-0- `` with a trailing space). The last line of
the file is a single Ctrl-Z byte (0x1A), a DOS end-of-file marker.

Reading (:func:`read_sdn`, the format's ``read`` hook, since :func:`ingestion.readers.read_file`
would take the first record for a header): the bytes are decoded as **Latin-1**. OFAC's
specification calls the files ASCII, and the stored snapshots are pure ASCII; Latin-1 is the
superset that SOURCE.md names and it decodes every byte, so an unexpected byte never makes
the list unreadable (cp1252 would reject five undefined bytes and differs from Latin-1 only
in 0x80-0x9F, which ASCII files never hold). The final Ctrl-Z line is dropped, and only
that: a Ctrl-Z anywhere else, or glued to the last record, makes the file unreadable, as does
a record (named by number and line) with other than 12 fields, a blank line, broken quoting
or binary content. ``-0-`` (with or without the trailing space) and empty fields become null.
The frame has the 12 names above as String columns plus ``__row``, the 1-based record number.

Recognition (:func:`sniff_sdn`): the first few KB hold records of 12 fields whose first
field is an integer, with ``-0-`` tokens among them; a file with a header is not this format.

Mapping (SOURCES.md, ``ofac-sdn`` → ``designations``), one row per record:

- ``list_id`` ``us_ofac_sdn``, ``imposed_by`` USA, ``as_of`` the snapshot date from the
  options (``--as-of``, else a date in the file name, else the download date when pulled; a
  file without one is rejected asking for ``--as-of YYYY-MM-DD``), ``entry_id`` ``ent_num``,
  ``name`` ``SDN_Name``, ``remarks`` ``Remarks``.
- ``entity_type`` from ``SDN_Type``: ``individual`` → person, ``-0-`` (empty: an entity) →
  organisation, ``vessel`` → vessel, ``aircraft`` → aircraft.
- ``programmes``: the ``Program`` codes, which OFAC joins with ``] [``
  (``UKRAINE-EO13662] [RUSSIA-EO14024``), split, stray brackets and spaces stripped, repeats
  dropped, ``;``-joined in the file's order.
- ``target`` by the reviewed, exhaustive lookup ``ingestion/reference/ofac_programme_targets.csv``
  (programme, target, source): the Russia programmes (``RUSSIA-EO14024``, ``RUSSIA-EO14065``,
  ``CAATSA - RUSSIA``, ``UKRAINE-EO13660/13661/13662/13685``, Russia's actions in Ukraine)
  give RUS, ``BELARUS`` and ``BELARUS-EO14038`` give BLR; any other programme, including the
  "blocked pending investigation" ones (``BPI-*``), gives nothing. An entry targets RUS if any
  of its programmes does, else the first country its programmes give, else null.
- ``birth_date`` (individuals), from ``Remarks``: of the ``DOB ...`` items (up to the next
  ``;``: ``DOB 12 Jul 1950``, ``alt. DOB 1951``), in the order written, the first that is a
  day (``DD Mon YYYY`` → ``YYYY-MM-DD``), a month (``Mon YYYY`` → ``YYYY-MM``) or a year
  (``YYYY``); ``circa`` is dropped and the stated precision kept (``DOB circa 1960`` →
  ``1960``: the list's best statement, and what other lists give as an approximate year);
  ranges (``DOB 1951 to 1953``, ``01 Jan 1961 to 31 Dec 1962``) give none. The list has no
  listing dates: ``listed_on`` stays null.
- ``imo_number``, from ``Remarks``: the 7 digits of ``Vessel Registration Identification IMO
  1234567`` (whatever the entry's type), else, for a vessel, of the first ``IMO 1234567``.
  An organisation's ``Company Number IMO ...`` / ``Identification Number IMO ...`` is a
  company's IMO number, not a vessel's, and is not taken; a number of other than 7 digits
  (``IMO 15411``) gives none.
- ``source_name`` "US Treasury OFAC, Specially Designated Nationals list (sdn.csv)",
  ``source_url`` the list's download address.

Reported in ``Mapped.skipped``, never guessed: a record whose ``SDN_Type`` is none of
``individual``, ``vessel``, ``aircraft`` or ``-0-``. Other problems of a mapped row (an
empty name, an ``ent_num`` repeated in the file) are found by the dataset's normalisation
and validation, which skip and report the row. ``Mapped.counts``: records read, entries
mapped, entries per target, entries without any programme, individuals with a ``DOB`` in
their remarks and those whose date of birth was normalised, entries with an IMO number.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

import polars as pl

from ingestion.normalize import countries
from ingestion.readers import ROW, UnreadableFile
from ingestion.sources._lookup import KEY, read_lookup
from ingestion.sources.base import SOURCE_ROWS, Mapped, SourceFormat, SourceOptionError, SourceOptions, skipped

#: The 12 fields of a record, by position (OFAC's SDN data specification).
COLUMNS = (
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage", "GRT", "Vess_flag",
    "Vess_owner", "Remarks",
)
NULL_TOKEN = "-0-"
CTRL_Z = "\x1a"
ENCODING = "latin-1"
#: how much of a file :func:`sniff_sdn` reads, and how many records it checks.
SNIFF_BYTES = 8192
SNIFF_RECORDS = 5

LIST_ID = "us_ofac_sdn"
IMPOSED_BY = "USA"
SOURCE_NAME = "US Treasury OFAC, Specially Designated Nationals list (sdn.csv)"
SOURCE_URL = "https://www.treasury.gov/ofac/downloads/sdn.csv"
#: ``SDN_Type`` (lower-case) → ``entity_type``; an empty ``SDN_Type`` (``-0-``) is an entity.
ENTITY_TYPES = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}
EMPTY_TYPE = "organisation"
#: the reviewed programme → target lookup (columns programme, target, source).
TARGETS_FILE = countries.REFERENCE_DIR / "ofac_programme_targets.csv"
#: an entry under several programmes targets this country if any of them does.
PRIORITY_TARGET = "RUS"
PROGRAMME_SEPARATOR = "] ["
#: a ``DOB ...`` item of Remarks (``alt. DOB`` included), up to the next ``;``.
DOB_ITEM = r"\bDOB [^;]+"
#: a vessel's IMO number as OFAC labels it; and any IMO number (taken for vessels only).
VESSEL_IMO = r"\bVessel Registration Identification IMO (\d{7})\b"
ANY_IMO = r"\bIMO (\d{7})\b"


# --- reading ------------------------------------------------------------------------------------


def read_sdn(path: Path) -> pl.DataFrame:
    """The records of an OFAC ``sdn.csv`` as String columns named :data:`COLUMNS` (``-0-`` as null), plus ``__row``."""
    data = path.read_bytes()
    if not data:
        raise UnreadableFile("the file is empty")
    if b"\x00" in data:
        raise UnreadableFile("not an OFAC sdn.csv text file (it contains binary data)")
    records = _records(_without_ctrl_z_line(data.decode(ENCODING)))
    if not records:
        raise UnreadableFile("the file has no records (only its final Ctrl-Z line)")
    columns = dict(zip(COLUMNS, zip(*records, strict=True), strict=True))
    frame = pl.DataFrame({name: list(values) for name, values in columns.items()},
                         schema=dict.fromkeys(COLUMNS, pl.String))
    return (
        frame.with_columns(_null_tokens(pl.col(c)) for c in COLUMNS)
        .with_row_index(ROW, offset=1)
        .with_columns(pl.col(ROW).cast(pl.Int64))
    )


def _without_ctrl_z_line(text: str) -> str:
    """``text`` without its final Ctrl-Z line; a Ctrl-Z anywhere else makes the file unreadable."""
    body = text.rstrip("\r\n")
    if body.endswith(CTRL_Z):
        body = body[:-1]
        if body and not body.endswith(("\n", "\r")):
            raise UnreadableFile(
                f"the final Ctrl-Z (0x1A) is not on a line of its own (line {_line_of(text, len(body))}): "
                "an OFAC sdn.csv file ends with a line holding only that byte"
            )
        text = body
    position = text.find(CTRL_Z)
    if position >= 0:
        raise UnreadableFile(
            f"a Ctrl-Z (0x1A) byte on line {_line_of(text, position)}: an OFAC sdn.csv file has one only as "
            "its last line (the file may be truncated or concatenated)"
        )
    return text


def _line_of(text: str, position: int) -> int:
    """The 1-based line of ``position`` in ``text`` (CRLF or LF line ends)."""
    return text.count("\n", 0, position) + 1


def _records(text: str) -> list[list[str]]:
    """The records of the decoded text; a record with other than 12 fields makes the file unreadable (named)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            if len(record) != len(COLUMNS):
                number = len(records) + 1
                what = "is a blank line" if not record else f"has {len(record)} fields"
                raise UnreadableFile(
                    f"not an OFAC sdn.csv file: record {number} (line {reader.line_num}) {what}, expected "
                    f"{len(COLUMNS)} ({', '.join(COLUMNS)})"
                )
            records.append(record)
    except csv.Error as exc:
        raise UnreadableFile(
            f"not an OFAC sdn.csv file: record {len(records) + 1} (line {reader.line_num}) cannot be read: {exc}"
        ) from None
    return records


def _null_tokens(value: pl.Expr) -> pl.Expr:
    """``-0-`` (with or without its trailing space) and empty text as null."""
    return pl.when(~value.str.strip_chars().is_in(["", NULL_TOKEN])).then(value)


def sniff_sdn(path: Path) -> bool:
    """True when the first few KB of ``path`` look like an OFAC ``sdn.csv``: 12 fields, integer first, ``-0-``."""
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return False
    if not head or b"\x00" in head:
        return False
    lines = [line.removesuffix("\r") for line in head.decode(ENCODING).split("\n")]
    if len(head) == SNIFF_BYTES:
        lines = lines[:-1]  # the last line may be cut short
    lines = [line for line in lines if line not in ("", CTRL_Z)][:SNIFF_RECORDS]
    try:
        records = list(csv.reader(lines, strict=True))
    except csv.Error:
        return False
    shaped = all(len(r) == len(COLUMNS) and r[0].strip().isascii() and r[0].strip().isdigit() for r in records)
    has_token = any(field.strip() == NULL_TOKEN for r in records for field in r)
    return bool(records) and shaped and has_token


# --- mapping ------------------------------------------------------------------------------------


def map_sdn(frame: pl.DataFrame, options: SourceOptions) -> Mapped:
    """SDN records as ``designations`` rows, one per record, for the snapshot date ``options.as_of``."""
    if options.as_of is None:
        raise SourceOptionError(
            "the OFAC SDN list carries no date: pass --as-of YYYY-MM-DD (the date of this snapshot), "
            "or keep the date in the file name (sdn_2024-05-03.csv)"
        )
    entries = _canonical(frame)
    typed, type_skips = _entity_types(entries)
    programmes = _programmes(typed)
    rows = typed.join(programmes, on=ROW, how="left").select(
        pl.lit(LIST_ID).alias("list_id"),
        pl.lit(IMPOSED_BY).alias("imposed_by"),
        pl.lit(options.as_of.isoformat()).alias("as_of"),
        pl.col("ent_num").alias("entry_id"),
        pl.col("SDN_Name").alias("name"),
        "entity_type",
        "programmes",
        "target",
        pl.col("Remarks").alias("remarks"),
        pl.when(pl.col("entity_type") == "person").then(birth_date(pl.col("Remarks"))).alias("birth_date"),
        imo_number(pl.col("Remarks"), pl.col("entity_type")).alias("imo_number"),
        pl.lit(SOURCE_URL).alias("source_url"),
        pl.lit(SOURCE_NAME).alias("source_name"),
        pl.col(ROW).cast(pl.Int64),
        pl.col(ROW).cast(pl.String).alias(SOURCE_ROWS),
    ).sort(ROW)
    return Mapped(rows=rows, skipped=type_skips, counts=_counts(frame, rows))


def birth_date(remarks: pl.Expr) -> pl.Expr:
    """The first ``DOB`` item of ``Remarks`` that is a day, month or year: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``."""
    item = (
        pl.element().str.replace(r"^DOB\s+", "").str.strip_chars(" .")
        .str.replace(r"(?i)^circa\s+", "")
    )
    day = item.str.strptime(pl.Date, "%d %b %Y", strict=False).dt.strftime("%Y-%m-%d")
    month = ("01 " + item).str.strptime(pl.Date, "%d %b %Y", strict=False).dt.strftime("%Y-%m")
    one = (
        pl.when(item.str.contains(r"^\d{1,2} [A-Za-z]{3} \d{4}$")).then(day)
        .when(item.str.contains(r"^[A-Za-z]{3} \d{4}$")).then(month)
        .when(item.str.contains(r"^\d{4}$")).then(item)
    )
    return remarks.str.extract_all(DOB_ITEM).list.eval(one).list.drop_nulls().list.first()


def imo_number(remarks: pl.Expr, entity_type: pl.Expr) -> pl.Expr:
    """A vessel's 7-digit IMO number from ``Remarks`` (see the module's mapping rules)."""
    return pl.coalesce(
        remarks.str.extract(VESSEL_IMO, 1),
        pl.when(entity_type == "vessel").then(remarks.str.extract(ANY_IMO, 1)),
    )


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """The 12 columns under their specification names (matched case-insensitively), trimmed, ``-0-`` as null."""
    by_key = {c.strip().lower(): c for c in frame.columns if c != ROW}
    renames = {by_key[c.lower()]: c for c in COLUMNS if c.lower() in by_key}
    return frame.rename(renames).select(
        pl.col(ROW).cast(pl.Int64),
        *[_null_tokens(pl.col(c).cast(pl.String).str.strip_chars()).alias(c) if c in renames.values()
          else pl.lit(None, pl.String).alias(c) for c in COLUMNS],
    )


def _entity_types(entries: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Entries with ``entity_type``, and the records whose ``SDN_Type`` is not one the list uses."""
    kind = pl.col("SDN_Type").str.to_lowercase()
    typed = entries.with_columns(
        pl.when(kind.is_null()).then(pl.lit(EMPTY_TYPE))
        .otherwise(kind.replace_strict(ENTITY_TYPES, default=None, return_dtype=pl.String))
        .alias("entity_type")
    )
    unknown = typed.filter(pl.col("entity_type").is_null())
    reason = pl.format(
        "SDN_Type '{}' is none of individual, vessel, aircraft or -0- (an entity): the entry's type is unknown, "
        "not guessed", pl.col("SDN_Type"),
    )
    return typed.filter(pl.col("entity_type").is_not_null()), skipped(unknown, "SDN_Type", reason)


def _programmes(entries: pl.DataFrame) -> pl.DataFrame:
    """``ROW``, the ``;``-joined programme codes in the file's order, and the ``target`` they give."""
    codes = (
        entries.select(
            ROW,
            pl.col("Program").str.replace_all(r"\]\s*\[", PROGRAMME_SEPARATOR)
            .str.split(PROGRAMME_SEPARATOR).alias("_programme"),
        )
        .explode("_programme")
        .with_columns(pl.col("_programme").str.strip_chars("[] ").replace("", None))
        .filter(pl.col("_programme").is_not_null())
        .unique([ROW, "_programme"], keep="first", maintain_order=True)
        .with_columns(pl.int_range(pl.len()).over(ROW).alias("_position"))
        .join(programme_targets().select("programme", pl.col("target").alias("_target")),
              left_on="_programme", right_on="programme", how="left")
    )
    ordered = pl.col("_target").sort_by("_position")
    return codes.group_by(ROW).agg(
        pl.col("_programme").sort_by("_position").str.join(";").alias("programmes"),
        pl.coalesce(
            pl.col("_target").filter(pl.col("_target") == PRIORITY_TARGET).first(),
            ordered.drop_nulls().first(),
        ).alias("target"),
    )


@cache
def programme_targets(path: Path = TARGETS_FILE) -> pl.DataFrame:
    """The reviewed programme → target lookup (programme, target, source); raises if it is inconsistent."""
    return read_lookup(path, "programme", ("programme", "target", "source")).drop(KEY)


def _counts(frame: pl.DataFrame, rows: pl.DataFrame) -> dict[str, int]:
    """Figures for the load report: records, entries, per target, without a programme, dates of birth, IMO numbers."""
    counts = {"records": frame.height, "entries_mapped": rows.height}
    per_target = rows.filter(pl.col("target").is_not_null()).group_by("target").len().sort("target")
    counts |= {f"entries_targeting_{target}": n for target, n in per_target.iter_rows()}
    counts["entries_without_programme"] = rows.filter(pl.col("programmes").is_null()).height
    persons = rows.filter(pl.col("entity_type") == "person")
    counts["birth_dates_given"] = persons.filter(pl.col("remarks").str.contains(DOB_ITEM)).height
    counts["birth_dates_normalised"] = persons.filter(pl.col("birth_date").is_not_null()).height
    counts["imo_numbers"] = rows.filter(pl.col("imo_number").is_not_null()).height
    return counts


FORMAT = SourceFormat(
    name="ofac-sdn",
    dataset="designations",
    publisher="US Department of the Treasury, Office of Foreign Assets Control (OFAC)",
    description="OFAC Specially Designated Nationals list, legacy sdn.csv (no header, 12 fields, -0- for empty, "
                "a final Ctrl-Z line): one designations row per entry of the snapshot, dated by --as-of.",
    header=COLUMNS,
    map=map_sdn,
    default_url=SOURCE_URL,
    read=read_sdn,
    sniff=sniff_sdn,
    needs_as_of=True,
)
