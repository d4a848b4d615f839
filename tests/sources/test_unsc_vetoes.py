"""Tests of the ``unsc-vetoes`` format (ingestion/sources/unsc_vetoes.py): Security Council vetoes → ``positions``.

Figures of the real file are recounted here with the csv module over the file as published,
not with the format's code.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from ingestion.datasets.positions import ISSUES, POSITIONS
from ingestion.prepare import normalise_rows, validate_rows
from ingestion.prepare_source import prepare_source
from ingestion.problems import ProblemList
from ingestion.readers import read_header, read_with_lines
from ingestion.sources import get_source, recognise
from ingestion.sources.base import Mapped, SourceOptions
from ingestion.sources.unsc_vetoes import (
    FORMAT,
    ISSUE,
    ISSUE_ON_UKRAINE,
    REASON_DATE,
    REASON_NO_MEMBER,
    REASON_ROC,
    SOURCE_NAME,
    SOURCE_URL,
)
from tests.conftest import REAL_DATA

VETOES_FILE = REAL_DATA / "positions" / "unsc_vetoes_1946_sept2022.csv"
MEMBERS = ("member_veto1", "member_veto2", "member_veto3")
HEADER = ("year,date,month,draft,meeting_record,agenda_item,crisis_topic,region,member_veto1,member_veto2,"
          "member_veto3,single_veto,multiple_vetoes,China,France,Russia,USSR,USA,UK,russia_china,usa_uk,usa_france,"
          "usa_france_uk,france_uk")

needs_real = pytest.mark.skipif(
    not VETOES_FILE.is_file(),
    reason=f"the real veto list is not at {VETOES_FILE} (real data is not shipped with the project)",
)


def map_file(path: Path) -> Mapped:
    """Read ``path`` as the pipeline does (each record with its line) and map it as ``unsc-vetoes``."""
    return FORMAT.map(read_with_lines(path), SourceOptions())


def write_vetoes(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    """A veto list of ``rows`` (date, draft, crisis_topic, member_veto1, member_veto2), the other columns filled."""
    lines = [HEADER]
    for when, draft, topic, first, second in rows:
        lines.append(f"2022,{when},1,{draft},S/PV.1,Agenda {draft},{topic},Region,{first},{second},,"
                     "1,0,0,0,0,0,0,0,0,0,0,0,0")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def statements(mapped: Mapped) -> list[tuple]:
    return [(r["__row"], r["stated_on"], r["country"], r["issue"]) for r in mapped.rows.to_dicts()]


# --- the real file -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records() -> list[dict[str, str]]:
    if not VETOES_FILE.is_file():
        pytest.skip(f"the real veto list is not at {VETOES_FILE} (real data is not shipped with the project)")
    with VETOES_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def real(records) -> Mapped:
    return map_file(VETOES_FILE)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    """The file's physical lines (``lines[n - 1]`` is line n), to find a record where the format says it is."""
    return VETOES_FILE.read_text(encoding="utf-8").splitlines()


def test_real_file_is_recognised_by_its_header(records):
    assert recognise(read_header(VETOES_FILE)) is get_source("unsc-vetoes") is FORMAT


def test_real_file_every_veto_gives_a_statement_per_vetoing_member(real, records):
    members = sum(1 for r in records for m in MEMBERS if r[m].strip())
    assert (len(records), members) == (214, 265)
    assert real.counts == {"vetoes": 214, "vetoes_mapped": 214, "statements": 265, "statements_on_ukraine": 3}
    assert real.rows.height == 265 and real.skipped.height == 0
    assert set(real.rows.get_column("stance")) == {"oppose"}
    assert (real.data_from, real.data_to) == (date(1946, 2, 16), date(2022, 7, 8))


def test_real_file_members_are_the_countries_the_file_names(real, records):
    named: dict[str, int] = {}
    for r in records:
        for m in MEMBERS:
            if r[m].strip():
                named[r[m].strip()] = named.get(r[m].strip(), 0) + 1
    by_code = dict(real.rows.group_by("country").len().iter_rows())
    code = {"USSR": "SUN", "Russia": "RUS", "USA": "USA", "UK": "GBR", "France": "FRA", "China": "CHN"}
    assert by_code == {code[name]: n for name, n in named.items()}
    # a USSR veto stays the USSR's, never Russia's
    assert by_code["SUN"] == 90
    russia = real.rows.filter(pl.col("country") == "RUS").get_column("stated_on").min()
    ussr = real.rows.filter(pl.col("country") == "SUN").get_column("stated_on").max()
    assert ussr < "1991-12-24" < russia


def test_real_file_the_three_ukraine_vetoes_are_on_the_ukraine_issue(real, lines):
    ukraine = real.rows.filter(pl.col("issue") == ISSUE_ON_UKRAINE)
    assert [(r["stated_on"], r["country"], r["actor"]) for r in ukraine.to_dicts()] == [
        ("2014-03-15", "RUS", "Russia (permanent member of the UN Security Council)"),
        ("2015-07-29", "RUS", "Russia (permanent member of the UN Security Council)"),
        ("2022-02-25", "RUS", "Russia (permanent member of the UN Security Council)"),
    ]
    assert ukraine.get_column("__row").to_list() == [191, 194, 216]
    assert [lines[n - 1][:15] for n in (191, 194, 216)] == ["2014,3/15/2014,", "2015,7/29/2015,", "2022,2/25/2022,"]
    summary = ukraine.row(2, named=True)["summary"]
    assert summary.startswith("Russia vetoed draft S/2022/155 (meeting record S/PV.8979). Agenda item: Letter dated "
                              "28 February 2014 from the Permanent Representative of Ukraine")
    assert summary.endswith("Topic (The World Politics Data Lab): Ukraine.")
    others = real.rows.filter(pl.col("issue") != ISSUE_ON_UKRAINE)
    assert set(others.get_column("issue")) == {ISSUE}
    assert {ISSUE, ISSUE_ON_UKRAINE} <= set(ISSUES)


def test_real_file_a_veto_by_two_members_is_two_statements(real):
    veto = real.rows.filter(pl.col("stated_on") == "2022-05-26")
    assert [(r["country"], r["issue"], r["__row"]) for r in veto.to_dicts()] == [
        ("CHN", ISSUE, 217), ("RUS", ISSUE, 217)]
    assert veto.get_column("summary").to_list() == [
        "China vetoed draft S/2022/431 (meeting record S/PV.9048), together with Russia. Agenda item: "
        "Non-proliferation - Democratic People's Republic of Korea. Topic (The World Politics Data Lab): North Korea.",
        "Russia vetoed draft S/2022/431 (meeting record S/PV.9048), together with China. Agenda item: "
        "Non-proliferation - Democratic People's Republic of Korea. Topic (The World Politics Data Lab): North Korea.",
    ]


def test_real_file_rows_cite_their_own_line(real, lines):
    """A meeting_record on two lines (2020) moves the later vetoes down: rows cite lines, not record numbers."""
    rows = real.rows.get_column("__row").unique().sort().to_list()
    assert (len(rows), rows[0], rows[-1], len(lines)) == (214, 2, 218, 218)
    for row in rows:
        assert lines[row - 1][:4].isdigit(), row  # a record starts with its year
    veto = real.rows.filter(pl.col("stated_on") == "2020-07-07").row(0, named=True)
    assert veto["__row"] == 209 and "(meeting record S/2020/661 and S/2020/657)" in veto["summary"]
    # the next veto starts two lines on: line 210 is the second half of the meeting record above
    assert real.rows.filter(pl.col("stated_on") == "2020-07-10").get_column("__row").unique().to_list() == [211]


def test_real_file_identical_vetoes_stay_separate_statements(real, lines):
    """Lines 4 and 6 are the same bytes (two USSR vetoes on the Spanish question, 26 June 1946)."""
    assert lines[3] == lines[5]
    spanish = real.rows.filter(pl.col("stated_on") == "1946-06-26")
    assert spanish.get_column("__row").to_list() == [4, 5, 6]
    assert [s.rsplit(". ", 1)[1] for s in spanish.get_column("summary")] == [
        f"Veto {n} of 3 of this draft by USSR on this day in the file." for n in (1, 2, 3)]


def test_real_file_passes_the_positions_suite(real):
    problems = ProblemList("unsc_vetoes")
    texts, rows = normalise_rows(real.rows, POSITIONS, problems)
    validate_rows(rows, texts, POSITIONS, problems, today=date(2025, 10, 1))
    assert [p.as_text() for p in problems.to_list()] == []


@needs_real
def test_real_file_through_the_pipeline_cites_the_release():
    prepared = prepare_source(VETOES_FILE, "unsc-vetoes", SourceOptions(), today=date(2025, 10, 1))
    assert prepared.problems == [] and prepared.skipped == []
    assert prepared.rows.height == 265
    assert set(prepared.rows.get_column("source_url")) == {SOURCE_URL}
    assert set(prepared.rows.get_column("source_name")) == {SOURCE_NAME}
    assert "661c5246872143cf16e500e4e7f2f70a45df5ac8" in SOURCE_URL
    ukraine = prepared.rows.filter(pl.col("issue") == ISSUE_ON_UKRAINE)
    assert ukraine.get_column("source_row").to_list() == [191, 194, 216]


# --- synthetic files: one rule each ---------------------------------------------------------------------


def test_a_malformed_date_skips_the_veto_with_file_row_column_value_and_reason(tmp_path):
    path = write_vetoes(tmp_path / "vetoes.csv", [
        ("2/25/2022", "S/2022/155", "Ukraine", "Russia", ""),
        ("2/30/2022", "S/2022/156", "Syria", "Russia", ""),
        ("2022-03-01", "S/2022/157", "Syria", "Russia", ""),
        ("3/1/22", "S/2022/158", "Syria", "Russia", ""),
    ])
    prepared = prepare_source(path, "unsc-vetoes", SourceOptions(), name="vetoes.csv", today=date(2025, 1, 1))
    assert prepared.problems == []
    assert [p.as_text() for p in prepared.skipped] == [
        "vetoes.csv:3: column date value '2/30/2022': not a valid date in the file's M/D/YYYY form; "
        "the veto is not loaded",
        "vetoes.csv:4: column date value '2022-03-01': not a valid date in the file's M/D/YYYY form; "
        "the veto is not loaded",
        "vetoes.csv:5: column date value '3/1/22': not a valid date in the file's M/D/YYYY form; "
        "the veto is not loaded",
    ]
    assert {p.reason for p in prepared.skipped} == {REASON_DATE}
    assert prepared.rows.select("source_row", "stated_on", "country", "issue").rows() == [
        (2, date(2022, 2, 25), "RUS", ISSUE_ON_UKRAINE)]
    strict = prepare_source(path, "unsc-vetoes", SourceOptions(), name="vetoes.csv", strict=True)
    assert strict.rows is None and len(strict.problems) == 3


def test_an_unknown_member_is_skipped_and_the_other_member_still_maps(tmp_path):
    path = write_vetoes(tmp_path / "vetoes.csv", [
        ("5/26/2022", "S/2022/431", "North Korea", "Chinaa", "Russia"),
        ("5/27/2022", "S/2022/432", "Other", "UN", ""),
        ("5/28/2022", "S/2022/433", "Other", "", ""),
    ])
    mapped = map_file(path)
    assert statements(mapped) == [(2, "2022-05-26", "RUS", ISSUE)]
    assert mapped.rows.get_column("summary").item().startswith(
        "Russia vetoed draft S/2022/431 (meeting record S/PV.1), together with Chinaa.")
    skips = [(r["row"], r["column"], r["value"], r["reason"]) for r in mapped.skipped.to_dicts()]
    assert skips[0][:3] == (2, "member_veto1", "Chinaa")
    assert skips[0][3].startswith("member 'Chinaa' names no known country (closest known names: China")
    assert skips[0][3].endswith("not guessed")
    assert skips[1] == (3, "member_veto1", "UN", "member 'UN' is an organisation, not a country: a veto is cast "
                        "by a member state; not loaded")
    assert skips[2] == (4, "member_veto1", None, REASON_NO_MEMBER)


def test_ussr_is_the_soviet_union_and_china_before_1971_is_not_the_peoples_republic(tmp_path):
    path = write_vetoes(tmp_path / "vetoes.csv", [
        ("2/16/1946", "S/PV.23", "Lebanon", "USSR", ""),
        ("12/13/1955", "S/3502", "Admission", "China", "USSR"),
        ("8/25/1972", "S/10771", "Admission", "China", ""),
    ])
    mapped = map_file(path)
    assert statements(mapped) == [(2, "1946-02-16", "SUN", ISSUE), (3, "1955-12-13", "SUN", ISSUE),
                                  (4, "1972-08-25", "CHN", ISSUE)]
    assert mapped.skipped.to_dicts() == [{"row": 3, "column": "member_veto1", "value": "China", "reason": REASON_ROC}]


def test_a_member_named_twice_on_a_row_is_one_statement(tmp_path):
    path = write_vetoes(tmp_path / "vetoes.csv", [("7/8/2022", "S/2022/538", "Syria", "Russia", "russia ")])
    mapped = map_file(path)
    assert statements(mapped) == [(2, "2022-07-08", "RUS", ISSUE)]
    assert "together with" not in mapped.rows.get_column("summary").item()


def test_the_ukraine_topic_is_matched_whatever_its_case(tmp_path):
    path = write_vetoes(tmp_path / "vetoes.csv", [("9/30/2022", "S/2022/720", " ukraine ", "Russia", "")])
    assert statements(map_file(path)) == [(2, "2022-09-30", "RUS", ISSUE_ON_UKRAINE)]


def test_format_declaration():
    assert get_source("unsc-vetoes") is FORMAT
    assert FORMAT.dataset == "positions" and FORMAT.default_url is None
    assert FORMAT.url_of(SourceOptions()) == SOURCE_URL
    assert FORMAT.url_of(SourceOptions(origin="https://example.org/v.csv")) == "https://example.org/v.csv"
    assert recognise(HEADER.split(",")) is FORMAT
    assert recognise([c for c in HEADER.split(",") if c != "member_veto3"]) is None
