"""Tests of the ``un-consolidated`` format (ingestion/sources/un_consolidated.py): consolidated.xml → ``designations``.

Figures of the real files are recomputed here with the standard library (ElementTree, ``re``),
not with the format's code.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
import pytest

from ingestion.prepare_source import prepare_source
from ingestion.readers import ROW, UnreadableFile
from ingestion.sources import get_source, sniff
from ingestion.sources.base import Mapped, SourceOptionError, SourceOptions
from ingestion.sources.un_consolidated import (
    COLUMNS,
    FORMAT,
    LIST_TYPES_FILE,
    list_types,
    read_consolidated,
    sniff_consolidated,
)
from tests.conftest import REAL_DATA

SANCTIONS = REAL_DATA / "sanctions"
OLD = SANCTIONS / "un_consolidated_2020-11-24.xml"
NEW = SANCTIONS / "un_consolidated_2025-04-19.xml"
SEMA_FILE = SANCTIONS / "canada_sema_2025-05-25.xml"
SDN_FILE = SANCTIONS / "ofac_sdn_2022-02-24.csv"


# --- helpers ------------------------------------------------------------------------------------


def _element(tag: str, value: object, indent: str) -> str:
    if isinstance(value, list):  # a repeated group: one element per dict
        return "".join(f"{indent}<{tag}>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in group.items())
                       + f"</{tag}>\n" for group in value)
    return f"{indent}<{tag}>{escape(str(value))}</{tag}>\n"


def write_un(path: Path, individuals: list[dict], entities: list[dict] = (),
             generated: str | None = "2024-06-01T10:00:00Z") -> Path:
    """A consolidated.xml of ``individuals`` and ``entities`` (field → text, or a list of dicts for a group)."""
    def records(tag: str, items: list[dict]) -> str:
        return "".join(f"        <{tag}>\n" + "".join(_element(k, v, "            ") for k, v in item.items())
                       + f"        </{tag}>\n" for item in items)

    attribute = f' dateGenerated="{generated}"' if generated else ""
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST{attribute}>\n'
        f"    <INDIVIDUALS>\n{records('INDIVIDUAL', individuals)}    </INDIVIDUALS>\n"
        f"    <ENTITIES>\n{records('ENTITY', list(entities))}    </ENTITIES>\n</CONSOLIDATED_LIST>\n",
        encoding="utf-8")
    return path


def person(dataid: str, first: str, second: str = "", list_type: str = "DPRK", listed_on: str = "2016-11-30",
           **extra: object) -> dict:
    return {"DATAID": dataid, "VERSIONNUM": "1", "FIRST_NAME": first, "SECOND_NAME": second,
            "UN_LIST_TYPE": list_type, "REFERENCE_NUMBER": f"XXi.{dataid}", "LISTED_ON": listed_on, **extra}


def map_file(path: Path, as_of: date | None = None) -> Mapped:
    return FORMAT.map(FORMAT.read(path), SourceOptions(as_of=as_of))


def record_lines(path: Path) -> list[int]:
    """The line of each <INDIVIDUAL> and <ENTITY> start tag, found in the text with ``re``."""
    text = path.read_text(encoding="utf-8")
    return [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<(INDIVIDUAL|ENTITY)>", text)]


def xml_birth_date(record: ET.Element) -> str | None:
    """The first date of birth group with a DATE (its first 10 characters) or a YEAR, read with ElementTree."""
    for group in record.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        day = (group.findtext("DATE") or "").strip()
        year = (group.findtext("YEAR") or "").strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([+-]\d{2}:\d{2}|Z)?", day):
            return day[:10]
        if re.fullmatch(r"\d{4}", year):
            return year
    return None


# --- the real files -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xml_lists() -> dict[str, ET.Element]:
    if not OLD.is_file() or not NEW.is_file():
        pytest.skip(f"real data not found at {SANCTIONS}")
    return {"old": ET.parse(OLD).getroot(), "new": ET.parse(NEW).getroot()}


@pytest.fixture(scope="module")
def mapped(xml_lists) -> dict[str, Mapped]:
    return {"old": map_file(OLD), "new": map_file(NEW)}


def records_of(root: ET.Element) -> list[ET.Element]:
    return [*root.find("INDIVIDUALS"), *root.find("ENTITIES")]


def test_real_files_individuals_and_entities(xml_lists, mapped):
    counts = {name: (len(root.find("INDIVIDUALS")), len(root.find("ENTITIES"))) for name, root in xml_lists.items()}
    assert counts == {"old": (713, 305), "new": (684, 193)}  # SOURCE.md
    for name in xml_lists:
        rows = mapped[name].rows
        assert Counter(rows.get_column("entity_type").to_list()) == {"person": counts[name][0],
                                                                      "organisation": counts[name][1]}
        assert (mapped[name].counts["individuals"], mapped[name].counts["entities"]) == counts[name]
        assert mapped[name].skipped.height == 0
        assert set(rows.get_column("imposed_by")) == {"UN"} and set(rows.get_column("list_id")) == {"un_consolidated"}


def test_real_files_are_read_with_the_line_of_each_record(xml_lists):
    for path, name in ((OLD, "old"), (NEW, "new")):
        frame = read_consolidated(path)
        lines = record_lines(path)
        assert frame.get_column(ROW).to_list() == lines
        assert frame.get_column("DATAID").to_list() == [r.findtext("DATAID") for r in records_of(xml_lists[name])]
        assert set(COLUMNS) <= set(frame.columns)
        assert FORMAT.missing_columns(frame.columns) == []
    old_lines = record_lines(OLD)
    assert old_lines[:3] == [3, 5, 6]  # 2020: a record is one long line (unless its comments break it)
    assert record_lines(NEW)[:2] == [4, 68]  # 2025: a record spans many lines


def test_real_files_are_dated_by_date_generated(xml_lists, mapped):
    assert xml_lists["old"].get("dateGenerated") == "2020-11-24T20:23:07.617-05:00"
    assert xml_lists["new"].get("dateGenerated") == "2025-04-19T23:00:04.625Z"
    assert set(mapped["old"].rows.get_column("as_of")) == {"2020-11-24"}  # the local date, as written
    assert set(mapped["new"].rows.get_column("as_of")) == {"2025-04-19"}
    overridden = map_file(NEW, as_of=date(2025, 4, 20))
    assert set(overridden.rows.get_column("as_of")) == {"2025-04-20"}


def test_real_files_entries_listed_and_delisted_between_the_snapshots(xml_lists, mapped):
    ids = {name: {r.findtext("DATAID") for r in records_of(root)} for name, root in xml_lists.items()}
    added, removed = ids["new"] - ids["old"], ids["old"] - ids["new"]
    assert (len(added), len(removed), len(ids["old"] & ids["new"])) == (46, 187, 831)
    assert {name: set(m.rows.get_column("entry_id")) for name, m in mapped.items()} == ids
    # listed_on checked against the snapshots: an entry new in 2025 was listed after the 2020 snapshot...
    listed = dict(mapped["new"].rows.select("entry_id", "listed_on").iter_rows())
    late = sorted(e for e in added if not "2020-11-24" < listed[e] <= "2025-04-19")
    # ...except one DPRK entity listed in 2018 that the 2020 file does not hold
    assert late == ["6908967"] and listed["6908967"] == "2018-03-30"
    entity = next(r for r in records_of(xml_lists["new"]) if r.findtext("DATAID") == "6908967")
    assert (entity.tag, entity.findtext("UN_LIST_TYPE")) == ("ENTITY", "DPRK")
    # nothing in the 2020 file was listed after it was generated
    assert max(mapped["old"].rows.get_column("listed_on")) <= "2020-11-24"


def test_real_files_listing_dates_birth_dates_programmes_and_targets(xml_lists, mapped):
    for name, root in xml_lists.items():
        rows = {r["entry_id"]: r for r in mapped[name].rows.to_dicts()}
        for record in records_of(root):
            row = rows[record.findtext("DATAID")]
            assert row["listed_on"] == record.findtext("LISTED_ON").strip()[:10]
            assert row["programmes"] == record.findtext("UN_LIST_TYPE").strip()
            assert row["birth_date"] == (xml_birth_date(record) if record.tag == "INDIVIDUAL" else None)
        targets = Counter(zip(mapped[name].rows.get_column("programmes"), mapped[name].rows.get_column("target"),
                              strict=True))
        assert targets[("Al-Qaida", None)] == sum(1 for r in records_of(root)
                                                  if r.findtext("UN_LIST_TYPE") == "Al-Qaida")
        assert all(t is not None for (p, t) in targets if p != "Al-Qaida")
    old_types = Counter(r.findtext("UN_LIST_TYPE") for r in records_of(xml_lists["old"]))
    assert (old_types["Al-Qaida"], old_types["Taliban"], old_types["Iraq"], old_types["DPRK"], old_types["Iran"]) \
        == (351, 140, 147, 155, 84)
    assert mapped["old"].counts["entries_targeting_PRK"] == 155
    assert mapped["new"].counts.get("entries_targeting_IRN") is None  # the 2025 list holds no Iran entry
    filled = {name: (m.counts["birth_dates_given"], m.counts["birth_dates_normalised"]) for name, m in mapped.items()}
    assert filled == {"old": (675, 646), "new": (656, 627)}
    ri = next(r for r in mapped["old"].rows.to_dicts() if r["entry_id"] == "6908555")
    assert (ri["name"], ri["birth_date"], ri["target"], ri["listed_on"]) == ("RI WON HO", "1964-07-17", "PRK",
                                                                               "2016-11-30")
    assert ri["remarks"].startswith("Reference number KPi.033; Ri Won Ho is a DPRK Ministry of State Security")


def test_every_list_type_of_the_real_files_is_in_the_reviewed_lookup(xml_lists, mapped):
    types = {r.findtext("UN_LIST_TYPE") for root in xml_lists.values() for r in records_of(root)}
    assert types <= set(list_types().get_column("list_type"))
    assert all(m.counts["records_of_unknown_list_type"] == 0 for m in mapped.values())


def test_real_files_pass_the_pipeline():
    if not OLD.is_file() or not NEW.is_file():
        pytest.skip(f"real data not found at {SANCTIONS}")
    for path, rows, as_of in ((OLD, 1018, date(2020, 11, 24)), (NEW, 877, date(2025, 4, 19))):
        prepared = prepare_source(path, "un-consolidated", SourceOptions(), today=date(2025, 5, 1))
        assert prepared.problems == [] and prepared.skipped == []
        assert prepared.rows.height == rows
        assert prepared.rows.get_column("as_of").unique().to_list() == [as_of]
        assert prepared.rows.get_column("listed_on").null_count() == 0


def test_real_files_are_recognised_and_no_other_file_is():
    if not OLD.is_file() or not NEW.is_file():
        pytest.skip(f"real data not found at {SANCTIONS}")
    for path in (OLD, NEW):
        assert sniff_consolidated(path)
        assert sniff(path) is get_source("un-consolidated") is FORMAT
    for other in (SEMA_FILE, SDN_FILE, SANCTIONS / "GSDB_V3.csv"):
        assert not sniff_consolidated(other), other
    assert not get_source("ofac-sdn").sniff(OLD) and not get_source("ofac-sdn").sniff(NEW)


# --- synthetic files ------------------------------------------------------------------------------------


def test_birth_dates_names_and_entities(tmp_path):
    path = write_un(tmp_path / "consolidated.xml", [
        person("1", " KIM ", "IL  SUNG", INDIVIDUAL_DATE_OF_BIRTH=[
            {"TYPE_OF_DATE": "BETWEEN", "FROM_YEAR": "1960", "TO_YEAR": "1962"},
            {"TYPE_OF_DATE": "APPROXIMATELY", "YEAR": "1961"}]),
        person("2", "A", "B", THIRD_NAME="C", FOURTH_NAME="D", INDIVIDUAL_DATE_OF_BIRTH=[
            {"TYPE_OF_DATE": "EXACT", "DATE": "1970-05-06-05:00"}, {"TYPE_OF_DATE": "EXACT", "YEAR": "1971"}]),
        person("3", "E", INDIVIDUAL_DATE_OF_BIRTH=[{"TYPE_OF_DATE": "EXACT", "NOTE": "24/06/1402 (Hijri Calendar)"}]),
        person("4", "F", INDIVIDUAL_DATE_OF_BIRTH=[{"TYPE_OF_DATE": ""}]),
    ], [{"DATAID": "5", "FIRST_NAME": "SYNTHETIC TRADING CORP", "UN_LIST_TYPE": "Al-Qaida",
         "REFERENCE_NUMBER": "QDe.999", "LISTED_ON": "2015-04-14-04:00", "COMMENTS1": "Synthetic."}])
    mapped = map_file(path)
    rows = [(r["entry_id"], r["name"], r["entity_type"], r["birth_date"], r["listed_on"], r["target"])
            for r in mapped.rows.to_dicts()]
    assert rows == [
        ("1", "KIM IL SUNG", "person", "1961", "2016-11-30", "PRK"),
        ("2", "A B C D", "person", "1970-05-06", "2016-11-30", "PRK"),
        ("3", "E", "person", None, "2016-11-30", "PRK"),
        ("4", "F", "person", None, "2016-11-30", "PRK"),
        ("5", "SYNTHETIC TRADING CORP", "organisation", None, "2015-04-14", None),
    ]
    assert (mapped.counts["birth_dates_given"], mapped.counts["birth_dates_normalised"]) == (3, 2)
    assert mapped.rows.get_column(ROW).to_list() == record_lines(path)
    assert mapped.rows.filter(pl.col("entry_id") == "5").get_column("remarks").item() == \
        "Reference number QDe.999; Synthetic."


def test_an_unknown_list_type_gives_no_target_and_is_counted(tmp_path):
    path = write_un(tmp_path / "consolidated.xml", [person("1", "A", list_type="Russia"), person("2", "B")])
    mapped = map_file(path)
    assert dict(mapped.rows.select("entry_id", "target").iter_rows()) == {"1": None, "2": "PRK"}
    assert mapped.counts["records_of_unknown_list_type"] == 1
    assert mapped.counts["records_of_unknown_list_type Russia"] == 1


def test_a_file_without_date_generated_needs_as_of(tmp_path):
    path = write_un(tmp_path / "consolidated.xml", [person("1", "A")], generated=None)
    with pytest.raises(SourceOptionError, match=r"no readable dateGenerated.*--as-of YYYY-MM-DD"):
        map_file(path)
    assert set(map_file(path, as_of=date(2024, 1, 2)).rows.get_column("as_of")) == {"2024-01-02"}
    prepared = prepare_source(path, "un-consolidated", SourceOptions())
    assert prepared.rows is None and [p.check for p in prepared.problems] == ["source_options"]


def test_problems_of_mapped_rows_are_skipped_with_their_line(tmp_path):
    path = write_un(tmp_path / "consolidated.xml", [
        person("1", "A"), person("1", "B"), person("3", "C", listed_on="not a date"),
        person("4", "D", listed_on="2030-01-01"),
    ], generated="2024-06-01T10:00:00Z")
    lines = record_lines(path)
    prepared = prepare_source(path, "un-consolidated", SourceOptions(), today=date(2024, 6, 1))
    assert prepared.problems == []
    assert sorted((p.row, p.column) for p in prepared.skipped) == [
        (lines[1], "entry_id"), (lines[2], "listed_on"), (lines[3], "listed_on")]
    assert prepared.rows.get_column("entry_id").to_list() == ["1"]


@pytest.mark.parametrize(("text", "message"), [
    ('<?xml version="1.0"?>\n<data-set>\n<record/>\n</data-set>\n',
     r"the root element is <data-set>, expected <CONSOLIDATED_LIST>"),
    ('<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2024-01-01">\n<VESSELS>\n<VESSEL/>\n</VESSELS>\n'
     "</CONSOLIDATED_LIST>\n", r"unexpected element <VESSELS> on line 3 in <CONSOLIDATED_LIST>"),
    ('<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2024-01-01">\n<INDIVIDUALS>\n<ENTITY/>\n'
     "</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n",
     r"unexpected element <ENTITY> on line 4 in <CONSOLIDATED_LIST/INDIVIDUALS>"),
    ('<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2024-01-01">\n<INDIVIDUALS>\n</INDIVIDUALS>\n'
     "</CONSOLIDATED_LIST>\n", r"no records"),
    ('<?xml version="1.0"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL><DATAID>1</DATAID>\n',
     r"not well-formed \(no element found\) on line 5"),
])
def test_a_file_with_a_broken_structure_is_rejected_with_its_reason(tmp_path, text, message):
    path = tmp_path / "consolidated.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnreadableFile, match=message):
        read_consolidated(path)
    prepared = prepare_source(path, "un-consolidated", SourceOptions())
    assert prepared.rows is None and [p.check for p in prepared.problems] == ["file_readable"]


# --- the format's declaration and lookup table ------------------------------------------------------


def test_format_declaration():
    assert get_source("un-consolidated") is FORMAT
    assert FORMAT.dataset == "designations" and not FORMAT.needs_as_of
    assert FORMAT.default_url == "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
    assert FORMAT.read is read_consolidated and FORMAT.sniff is sniff_consolidated


def test_list_type_lookup_is_the_reviewed_table():
    with LIST_TYPES_FILE.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0]) == ["list_type", "target", "source"]
    assert all("https://" in r["source"] for r in table)
    targets = {r["list_type"]: r["target"] or None for r in table}
    assert (targets["DPRK"], targets["Iraq"], targets["Taliban"], targets["Al-Qaida"]) == ("PRK", "IRQ", "AFG", None)
    assert "RUS" not in targets.values()
    assert list_types().height == len(table)
