"""Tests of the ``canada-sema`` publisher format (ingestion/sources/canada_sema.py): sema-lmes.xml → ``designations``.

Figures of the real file are recomputed here with the standard library (ElementTree, ``re``,
``unicodedata``), not with the format's code.
"""

from __future__ import annotations

import csv
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
import pytest

from ingestion.datasets.designations import DESIGNATIONS
from ingestion.normalize import countries
from ingestion.prepare import normalise_rows
from ingestion.prepare_source import prepare_source
from ingestion.problems import ProblemList
from ingestion.readers import ROW, UnreadableFile
from ingestion.sources import get_source, sniff
from ingestion.sources.base import Mapped, SourceOptionError, SourceOptions
from ingestion.sources.canada_sema import COLUMNS, FORMAT, REGIMES_FILE, read_sema, regimes, sniff_sema
from tests.conftest import FIXTURES, REAL_DATA

SANCTIONS = REAL_DATA / "sanctions"
SEMA_FILE = SANCTIONS / "canada_sema_2025-05-25.xml"
UN_FILES = (SANCTIONS / "un_consolidated_2020-11-24.xml", SANCTIONS / "un_consolidated_2025-04-19.xml")
SDN_FILE = SANCTIONS / "ofac_sdn_2022-02-24.csv"
OLD_RELEASE = FIXTURES / "synthetic_canada_sema_old_release.xml"
AS_OF = date(2025, 5, 25)
RUSSIA = "Russia / Russie"


# --- helpers ------------------------------------------------------------------------------------


def write_sema(path: Path, records: list[dict[str, str]], *, root: str = "data-set") -> Path:
    """A sema-lmes.xml of ``records`` (field → text), indented as Global Affairs Canada writes it."""
    body = "".join(
        "\t<record>\n" + "".join(f"\t\t<{k}>{escape(v)}</{k}>\n" for k, v in record.items()) + "\t</record>\n"
        for record in records
    )
    path.write_text(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{root}>\n{body}</{root}>\n',
                    encoding="utf-8")
    return path


def map_file(path: Path, as_of: date | None = AS_OF) -> Mapped:
    return FORMAT.map(FORMAT.read(path), SourceOptions(as_of=as_of))


def problems_of(mapped: Mapped) -> list[str]:
    problems = ProblemList("canada-sema")
    normalise_rows(mapped.rows, DESIGNATIONS, problems)
    return [p.as_text() for p in problems.to_list()]


def by_line(mapped: Mapped) -> dict[int, dict]:
    return {row[ROW]: row for row in mapped.rows.to_dicts()}


def text_key(value: str) -> str:
    """A name as the identity rule normalises it, written here independently of the format's code."""
    text = unicodedata.normalize("NFKD", value).lower().replace("ß", "ss").replace("ς", "σ")
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace() or category[0] in "PS":
            kept.append(" ")
        elif category[0] != "M" and category not in ("Cc", "Cf"):
            kept.append(char)
    return " ".join("".join(kept).split())


def first_date(value: str | None) -> str | None:
    """The first of 'A or B' that is YYYY, YYYY-MM or YYYY-MM-DD (a real date)."""
    for part in re.split(r"(?i)\s+or\s+", (value or "").strip()):
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", part.strip()):
            padded = part.strip() + "-01-01"[len(part.strip()) - 4:]
            try:
                date.fromisoformat(padded)
            except ValueError:
                continue
            return part.strip()
    return None


# --- the real file ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xml_records() -> list[dict[str, str]]:
    """The records with ElementTree: field → stripped text (non-breaking spaces too)."""
    if not SEMA_FILE.is_file():
        pytest.skip(f"real data not found at {SEMA_FILE}")
    root = ET.parse(SEMA_FILE).getroot()
    assert root.tag == "data-set" and not root.attrib  # the file carries no date of its own
    return [{field.tag: " ".join((field.text or "").split()) for field in record} for record in root]


@pytest.fixture(scope="module")
def record_lines() -> list[int]:
    """The line of each ``<record>`` start tag, found by scanning the text."""
    lines = SEMA_FILE.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if line.strip() == "<record>"]


@pytest.fixture(scope="module")
def real(xml_records) -> Mapped:
    return map_file(SEMA_FILE)


def test_real_file_is_read_with_the_line_of_each_record(xml_records, record_lines):
    frame = read_sema(SEMA_FILE)
    assert frame.height == len(xml_records) == len(record_lines) == 4759
    assert frame.get_column(ROW).to_list() == record_lines
    assert frame.columns == [ROW, *COLUMNS]
    assert all(dtype == pl.String for name, dtype in frame.schema.items() if name != ROW)
    assert FORMAT.missing_columns(frame.columns) == []
    lines = SEMA_FILE.read_text(encoding="utf-8").splitlines()
    first = frame.row(0, named=True)
    assert lines[first[ROW] - 1].strip() == "<record>" and "Atabekov" in "".join(lines[first[ROW]:first[ROW] + 3])
    last = frame.row(-1, named=True)
    assert last["LastName"].strip() == "Zvayi" and "Zvayi" in "".join(lines[last[ROW]:last[ROW] + 3])


def test_real_file_regimes_and_listing_years(xml_records, real):
    regimes_in_file = Counter(r["Country"] for r in xml_records)
    assert regimes_in_file[RUSSIA] == 2426  # SOURCE.md
    assert (regimes_in_file["Ukraine"], regimes_in_file["Iran"], regimes_in_file["Belarus / Bélarus"]) \
        == (553, 460, 320)
    russia_years = Counter(r["DateOfListing"][:4] for r in xml_records if r["Country"] == RUSSIA)
    assert {y: russia_years[y] for y in ("2014", "2022", "2023", "2024", "2025")} \
        == {"2014": 110, "2022": 1188, "2023": 595, "2024": 226, "2025": 218}  # SOURCE.md
    assert max(r["DateOfListing"] for r in xml_records) == "2025-03-20"
    # mapped: every record but the one identity collision (a Russia-regime record listed in 2021)
    rows = real.rows
    assert rows.height == 4758 and real.counts["entries_mapped"] == 4758
    mapped_russia = rows.filter(pl.col("programmes").str.starts_with("RUS "))
    assert mapped_russia.height == real.counts["entries_regime_RUS"] == 2425
    mapped_years = Counter(d[:4] for d in mapped_russia.get_column("listed_on").to_list())
    assert mapped_years == russia_years - Counter({"2021": 1})


def test_real_file_listing_dates_and_the_added_since_question(xml_records, record_lines, real):
    rows = by_line(real)
    for line, record in zip(record_lines, xml_records, strict=True):
        if line in rows:
            assert rows[line]["listed_on"] == record["DateOfListing"]
    # "added since 24 Feb 2022" from one snapshot: the Russia and Ukraine regimes (both target Russia)
    expected = sum(1 for r in xml_records if r["Country"] in (RUSSIA, "Ukraine") and r["DateOfListing"] >= "2022-02-24")
    mapped = real.rows.filter((pl.col("target") == "RUS") & (pl.col("listed_on") >= "2022-02-24")).height
    assert mapped == expected == 2536  # the record skipped as a collision was listed in 2021
    assert real.counts["entries_targeting_RUS"] == 2425 + 553


def test_real_file_identity_collisions(xml_records, record_lines, real):
    seen: dict[tuple, int] = {}
    collisions = []
    for line, record in zip(record_lines, xml_records, strict=True):
        if record.get("ShipIMONumber"):
            identity: tuple = (record["Country"], "IMO", record["ShipIMONumber"])
        else:
            person = record.get("LastName") or record.get("GivenName")
            name = ", ".join(p for p in (record.get("LastName"), record.get("GivenName")) if p) if person \
                else record["EntityOrShip"]
            dob = first_date(record.get("DateOfBirthOrShipBuildDate")) if person else None
            identity = (record["Country"], text_key(name), dob)
        if identity in seen:
            collisions.append((seen[identity], line, identity))
        else:
            seen[identity] = line
    assert collisions == [(10887, 24528, (RUSSIA, "menyailo sergey ivanovich", None))]
    assert real.skipped.to_dicts() == [{
        "row": 24528, "column": "entry_id", "value": "RUS|menyailo sergey ivanovich",
        "reason": "same identity as line 10887: RUS|menyailo sergey ivanovich (the list has no id of its own: an "
                  "entry is its regime, name and date of birth or IMO number); the later record is skipped",
    }]
    assert real.counts["identity_collisions"] == 1
    first = by_line(real)[10887]
    assert (first["name"], first["programmes"], first["entity_type"]) == \
        ("MENYAILO, Sergey Ivanovich", "RUS (Schedule 1, Part 1)", "person")


def test_real_file_ids_are_unique_and_readable(real):
    ids = real.rows.get_column("entry_id")
    assert ids.n_unique() == ids.len() and ids.null_count() == 0
    rows = by_line(real)
    assert rows[20]["entry_id"] == "BLR|barsukov aleksandr petrovich|1965-04-29"
    assert rows[3]["entry_id"] == "BLR|atabekov khazalbek bakhtibekovich"
    vessel = next(r for r in rows.values() if r["name"] == "Balitiyskiy III")
    assert (vessel["entry_id"], vessel["imo_number"], vessel["entity_type"], vessel["birth_date"]) == \
        ("RUS|IMO 7612448", "7612448", "vessel", None)
    assert "Ship type: General Cargo / Multi Purpose; Built: 1980" in vessel["remarks"]


def test_real_file_entity_types_birth_dates_and_imo_numbers(xml_records, record_lines, real):
    persons = [r for r in xml_records if r.get("LastName") or r.get("GivenName")]
    vessels = [r for r in xml_records if r.get("EntityOrShip") and r.get("ShipIMONumber")]
    assert (len(persons), len(vessels), len(xml_records) - len(persons) - len(vessels)) == (3334, 109, 1316)
    assert Counter(real.rows.get_column("entity_type").to_list()) == \
        {"person": 3333, "vessel": 109, "organisation": 1316}  # one person's second record collided
    assert all(re.fullmatch(r"\d{7}", r["ShipIMONumber"]) for r in vessels)
    rows = by_line(real)
    for line, record in zip(record_lines, xml_records, strict=True):
        if line in rows and rows[line]["entity_type"] == "person":
            assert rows[line]["birth_date"] == first_date(record.get("DateOfBirthOrShipBuildDate")), line
    given = [r for r in persons if r.get("DateOfBirthOrShipBuildDate")]
    normalised = [r for r in given if first_date(r["DateOfBirthOrShipBuildDate"])]
    assert (len(given), len(normalised)) == (1716, 1713)
    assert sorted(r["DateOfBirthOrShipBuildDate"] for r in given if not first_date(r["DateOfBirthOrShipBuildDate"])) \
        == ["1963-1964", "Sep-99", "born in the early 1970s"]
    assert (real.counts["birth_dates_given"], real.counts["birth_dates_normalised"]) == (1716, 1713)
    assert real.counts["vessels_with_imo_number"] == 109


def test_every_regime_of_the_real_file_is_in_the_reviewed_lookup(xml_records, real):
    known = set(regimes().get_column("regime"))
    assert {r["Country"] for r in xml_records} <= known
    assert real.counts["records_of_unknown_regime"] == 0
    assert real.rows.filter(pl.col("target").is_null()).get_column("programmes").str.extract(r"^(\S+)").unique() \
        .sort().to_list() == ["HAMAS", "JVCFOR", "SETTLER_VIOLENCE"]


def test_real_file_normalises_and_passes_the_pipeline():
    if not SEMA_FILE.is_file():
        pytest.skip(f"real data not found at {SEMA_FILE}")
    prepared = prepare_source(SEMA_FILE, "canada-sema", SourceOptions(as_of=AS_OF), today=date(2025, 5, 25))
    assert prepared.problems == []
    assert [(p.row, p.column, p.check) for p in prepared.skipped] == [(24528, "entry_id", "source_mapping")]
    assert prepared.rows.height == 4758
    assert prepared.rows.get_column("as_of").unique().to_list() == [AS_OF]
    assert prepared.rows.get_column("listed_on").null_count() == 0
    assert prepared.rows.get_column("imposed_by").unique().to_list() == ["CAN"]


def test_real_file_is_recognised_and_no_other_file_is():
    if not SEMA_FILE.is_file():
        pytest.skip(f"real data not found at {SEMA_FILE}")
    assert sniff_sema(SEMA_FILE)
    assert sniff(SEMA_FILE) is get_source("canada-sema") is FORMAT
    for other in (*UN_FILES, SDN_FILE, SANCTIONS / "GSDB_V3.csv"):
        assert not sniff_sema(other), other


def test_without_as_of_the_file_is_rejected_asking_for_it(tmp_path):
    path = write_sema(tmp_path / "sema-lmes.xml", [{"Country": RUSSIA, "EntityOrShip": "X"}])
    with pytest.raises(SourceOptionError, match=r"--as-of YYYY-MM-DD"):
        map_file(path, as_of=None)
    prepared = prepare_source(path, "canada-sema", SourceOptions())
    assert prepared.rows is None and [p.check for p in prepared.problems] == ["source_options"]


# --- older releases -----------------------------------------------------------------------------------


def test_an_older_release_is_read_with_its_own_field_names():
    frame = read_sema(OLD_RELEASE)
    assert frame.columns == [ROW, *COLUMNS]
    assert frame.get_column(ROW).to_list() == [7, 16, 23, 31]
    assert frame.get_column("EntityOrShip").to_list() == [None, "Synthetic Trading House LLC", None,
                                                          "Fictional Tractor Works"]
    assert frame.get_column("DateOfBirthOrShipBuildDate").to_list() == ["1970-01-02", None, "1980", None]
    assert frame.get_column("TitleOrShip").to_list() == ["Synthetic Deputy Minister", None, None, None]
    assert frame.get_column("DateOfListing").null_count() == 4
    assert sniff_sema(OLD_RELEASE) and sniff(OLD_RELEASE) is FORMAT


def test_an_entry_keeps_its_identity_from_an_older_release_to_a_newer_one(tmp_path):
    old = map_file(OLD_RELEASE, as_of=date(2021, 1, 1))
    new = map_file(write_sema(tmp_path / "sema-lmes.xml", [
        {"Country": "Belarus / Bélarus", "EntityOrShip": "Fictional Tractor Works", "Schedule": "1, Part 2",
         "Item": "7", "DateOfListing": "2020-11-06"},
        {"Country": RUSSIA, "LastName": "SYNTHETICOV", "GivenName": "Ivan Testovich",
         "DateOfBirthOrShipBuildDate": "1970-01-02", "TitleOrShip": "Synthetic Deputy Minister",
         "Schedule": "1, Part 1", "Item": "40", "DateOfListing": "2014-03-17"},
        {"Country": "Ukraine", "LastName": "Exampleenko", "GivenName": "Sample", "DateOfBirthOrShipBuildDate": "1980",
         "Schedule": "Part 1", "Item": "3", "DateOfListing": "2014-03-19"},
    ]))
    assert sorted(old.rows.get_column("entry_id").to_list()) == sorted([
        "RUS|syntheticov ivan testovich|1970-01-02", "RUS|synthetic trading house llc", "UKR|exampleenko sample|1980",
        "BLR|fictional tractor works"])
    assert set(new.rows.get_column("entry_id")) < set(old.rows.get_column("entry_id"))
    assert old.rows.get_column("listed_on").null_count() == 4
    assert problems_of(old) == [] and problems_of(new) == []
    ivan = old.rows.filter(pl.col(ROW) == 7).to_dicts()[0]
    assert (ivan["name"], ivan["programmes"], ivan["target"], ivan["birth_date"]) == \
        ("Syntheticov, Ivan Testovich", "RUS (Schedule 1, Part 1)", "RUS", "1970-01-02")
    assert ivan["remarks"] == "Title: Synthetic Deputy Minister; Date of birth: 1970-01-02; Item 1"


# --- synthetic files: the mapping ---------------------------------------------------------------------


def test_records_that_cannot_be_identified_are_skipped_with_their_reason(tmp_path):
    path = write_sema(tmp_path / "sema-lmes.xml", [
        {"Country": RUSSIA, "LastName": "Alpha", "GivenName": "A"},
        {"LastName": "Bravo"},                                                            # no regime
        {"Country": RUSSIA, "LastName": "Charlie", "EntityOrShip": "Charlie LLC"},       # both kinds of name
        {"Country": RUSSIA, "Schedule": "1, Part 1"},                                     # no name
        {"Country": RUSSIA, "EntityOrShip": "..."},                                       # no letter or digit
        {"Country": RUSSIA, "LastName": "ALPHA", "GivenName": "A.", "Item": "9"},        # the first one again
        {"Country": "Ukraine", "LastName": "Alpha", "GivenName": "A"},                   # another regime
        {"Country": RUSSIA, "LastName": "Alpha", "GivenName": "A", "DateOfBirthOrShipBuildDate": "1970"},
    ])
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.strip() == "<record>"]
    mapped = map_file(path)
    assert [(s["row"], s["column"]) for s in mapped.skipped.to_dicts()] == [
        (lines[1], "Country"), (lines[2], "EntityOrShip"), (lines[3], "LastName"), (lines[4], "name"),
        (lines[5], "entry_id")]
    reasons = {s["row"]: s["reason"] for s in mapped.skipped.to_dicts()}
    assert reasons[lines[1]].startswith("no Country (the regime)")
    assert reasons[lines[2]].startswith("both a person's name (LastName/GivenName) and EntityOrShip")
    assert reasons[lines[5]].startswith(f"same identity as line {lines[0]}: RUS|alpha a ")
    assert mapped.skipped.filter(pl.col("row") == lines[2]).get_column("value").item() == "Charlie / Charlie LLC"
    assert dict(mapped.rows.select(ROW, "entry_id").iter_rows()) == {
        lines[0]: "RUS|alpha a", lines[6]: "UKR|alpha a", lines[7]: "RUS|alpha a|1970"}
    assert mapped.counts["identity_collisions"] == 1


def test_an_unknown_regime_gives_no_target_and_is_counted(tmp_path):
    path = write_sema(tmp_path / "sema-lmes.xml", [
        {"Country": "Atlantis / Atlantide", "LastName": "Zeta", "Schedule": "Part 1"},
        {"Country": "Venezuela ", "EntityOrShip": "Empresa Sintética"},
    ])
    mapped = map_file(path)
    rows = mapped.rows.to_dicts()
    assert [(r["entry_id"], r["programmes"], r["target"]) for r in rows] == [
        ("atlantis atlantide|zeta", "Atlantis / Atlantide (Schedule Part 1)", None),
        ("VEN|empresa sintetica", "VEN", "VEN"),
    ]
    assert mapped.counts["records_of_unknown_regime"] == 1
    assert mapped.counts["records_of_unknown_regime Atlantis / Atlantide"] == 1
    assert problems_of(mapped) == []


def test_dates_of_birth_vessels_and_schedules(tmp_path):
    path = write_sema(tmp_path / "sema-lmes.xml", [
        {"Country": RUSSIA, "LastName": "A", "DateOfBirthOrShipBuildDate": "1972-08-10 or 1972-08-11"},
        {"Country": RUSSIA, "LastName": "B", "DateOfBirthOrShipBuildDate": " 1955-11 "},
        {"Country": RUSSIA, "LastName": "C", "DateOfBirthOrShipBuildDate": "1963-1964"},
        {"Country": RUSSIA, "LastName": "D", "DateOfBirthOrShipBuildDate": "1970-02-30"},
        {"Country": RUSSIA, "EntityOrShip": "Ship One", "TitleOrShip": "Tanker", "ShipIMONumber": "IMO 9123456",
         "DateOfBirthOrShipBuildDate": "2001", "Schedule": "1.1"},
        {"Country": RUSSIA, "EntityOrShip": "Ship Two", "ShipIMONumber": "91234", "Schedule": "1,Part 3"},
    ])
    mapped = map_file(path)
    rows = [(r["entry_id"], r["entity_type"], r["birth_date"], r["imo_number"], r["programmes"])
            for r in mapped.rows.to_dicts()]
    assert rows == [
        ("RUS|a|1972-08-10", "person", "1972-08-10", None, "RUS"),
        ("RUS|b|1955-11", "person", "1955-11", None, "RUS"),
        ("RUS|c", "person", None, None, "RUS"),
        ("RUS|d", "person", None, None, "RUS"),
        ("RUS|IMO 9123456", "vessel", None, "9123456", "RUS (Schedule 1.1)"),
        ("RUS|IMO 91234", "vessel", None, "91234", "RUS (Schedule 1, Part 3)"),
    ]
    assert (mapped.counts["birth_dates_given"], mapped.counts["birth_dates_normalised"]) == (4, 2)
    # an IMO number that is not 7 digits is found by the dataset's validation (the entry is then skipped)
    assert problems_of(mapped) == []  # normalisation alone does not check it; the suite does:
    prepared = prepare_source(path, "canada-sema", SourceOptions(as_of=AS_OF))
    assert [(p.row, p.column, p.value) for p in prepared.skipped] == [(31, "imo_number", "91234")]


def test_fields_the_mapping_does_not_know_are_counted(tmp_path):
    path = write_sema(tmp_path / "sema-lmes.xml", [
        {"Country": RUSSIA, "LastName": "A", "Nationality": "Russia"},
        {"Country": RUSSIA, "LastName": "B"},
    ])
    assert map_file(path).counts["records_with_unmapped_field Nationality"] == 1


# --- synthetic files: broken structure ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("", r"the file is empty"),
    ("country,name\nRussia,X\n", r"not a Canada SEMA list .*not well-formed \(syntax error\) on line 1, column 1"),
    ('<?xml version="1.0"?>\n<data-set>\n\t<record>\n\t\t<Country>Russia</Country>\n\t</record>\n\t<record>\n'
     "\t\t<Country>Russia",
     r"not well-formed \(no element found\) on line 7"),
    ('<?xml version="1.0"?>\n<data-set>\n\t<record>\n\t\t<Country>A</Country>\n\t</record>\n\t<entry>\n\t</entry>\n'
     "</data-set>\n", r"unexpected element <entry> on line 6 in <data-set>"),
    ('<?xml version="1.0"?>\n<CONSOLIDATED_LIST>\n</CONSOLIDATED_LIST>\n',
     r"the root element is <CONSOLIDATED_LIST>, expected <data-set>"),
    ('<?xml version="1.0"?>\n<data-set>\n</data-set>\n', r"no records \(<record> elements\) under <data-set>"),
    ('<?xml version="1.0"?>\n<!DOCTYPE data-set [<!ENTITY a "aaaa">]>\n<data-set><record><Country>&a;</Country>'
     "</record></data-set>\n", r"DOCTYPE or entities"),
    ('<?xml version="1.0"?>\n<data-set>\n<record>\n<Entity>A</Entity>\n<EntityOrShip>B</EntityOrShip>\n</record>\n'
     "</data-set>\n", r"the record on line 3 has both <Entity> and <EntityOrShip>"),
    ('<?xml version="1.0"?>\n<data-set>\n<record>loose text<Country>A</Country></record>\n</data-set>\n',
     r"text 'loose text' directly inside <record> on line 3"),
])
def test_a_file_with_a_broken_structure_is_rejected_with_its_reason(tmp_path, text, message):
    path = tmp_path / "sema-lmes.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnreadableFile, match=message):
        read_sema(path)
    prepared = prepare_source(path, "canada-sema", SourceOptions(as_of=AS_OF))
    assert prepared.rows is None and [p.check for p in prepared.problems] == ["file_readable"]


def test_a_truncated_real_file_is_rejected_naming_the_line(tmp_path):
    if not SEMA_FILE.is_file():
        pytest.skip(f"real data not found at {SEMA_FILE}")
    data = SEMA_FILE.read_bytes()
    cut = tmp_path / "sema-lmes.xml"
    cut.write_bytes(data[: len(data) // 2])
    line_count = data[: len(data) // 2].count(b"\n") + 1
    with pytest.raises(UnreadableFile, match=rf"not well-formed \(.*\) on line {line_count}, column"):
        read_sema(cut)
    assert sniff_sema(cut)  # it starts like the list; the reader is what refuses it


def test_sniff_is_about_the_shape(tmp_path):
    good = write_sema(tmp_path / "a.xml", [{"Country": RUSSIA, "LastName": "A"}])
    other_root = write_sema(tmp_path / "b.xml", [{"Country": RUSSIA}], root="list")
    other_field = write_sema(tmp_path / "c.xml", [{"Colour": "red"}])
    (tmp_path / "d.xml").write_bytes(b"\x00\x01binary")
    assert sniff_sema(good)
    assert not sniff_sema(other_root)
    assert not sniff_sema(other_field)
    assert not sniff_sema(tmp_path / "d.xml")
    assert not sniff_sema(tmp_path / "missing.xml")


# --- the format's declaration and lookup table ------------------------------------------------------


def test_format_declaration():
    assert get_source("canada-sema") is FORMAT
    assert FORMAT.dataset == "designations" and FORMAT.needs_as_of
    assert FORMAT.default_url == ("https://www.international.gc.ca/world-monde/assets/office_docs/"
                                  "international_relations-relations_internationales/sanctions/sema-lmes.xml")
    assert FORMAT.read is read_sema and FORMAT.sniff is sniff_sema


def test_regime_lookup_is_the_reviewed_table():
    with REGIMES_FILE.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0]) == ["regime", "code", "target", "source"]
    assert all("https://" in r["source"] for r in table)
    targets = {r["code"]: r["target"] or None for r in table}
    assert targets["RUS"] == targets["UKR"] == "RUS" and targets["BLR"] == "BLR"
    assert targets["JVCFOR"] is targets["HAMAS"] is targets["SETTLER_VIOLENCE"] is None
    assert len({r["code"] for r in table}) == len(table) == regimes().height == 19
    resolved = countries.resolve(pl.Series([t for t in targets.values() if t]), ("country",))
    assert resolved.get_column("code").null_count() == 0


def test_an_inconsistent_regime_table_is_refused(tmp_path):
    bad = tmp_path / "regimes.csv"
    bad.write_text("regime,code,target,source\nRussia,RUS,RUS,doc\nrussia ,RU2,RUS,doc\nX,A|B,Atlantis,doc\n"
                   "Y,Y,,\n", encoding="utf-8")
    with pytest.raises(countries.ReferenceDataError) as caught:
        regimes.__wrapped__(bad)
    message = str(caught.value)
    assert "listed twice" in message and "Atlantis" in message and "no source" in message
