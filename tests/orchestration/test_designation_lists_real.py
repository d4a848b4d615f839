"""The UN and Canada lists as history through the CLI, in one ingest: the newer UN snapshot first, the older last.

The changes between the two UN snapshots are checked against a set difference of their
DATAIDs computed here with ElementTree; loading the same files again changes nothing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ingestion.home import Home
from tests.conftest import REAL_DATA, copy_home, query_home, raw_snapshot, run_cli, table_checksums

SANCTIONS = REAL_DATA / "sanctions"
UN_OLD = SANCTIONS / "un_consolidated_2020-11-24.xml"
UN_NEW = SANCTIONS / "un_consolidated_2025-04-19.xml"
SEMA = SANCTIONS / "canada_sema_2025-05-25.xml"

pytestmark = pytest.mark.skipif(not all(p.is_file() for p in (UN_OLD, UN_NEW, SEMA)),
                                reason=f"the real UN and Canada lists are not all in {SANCTIONS}")


def dataids(path: Path) -> set[str]:
    root = ET.parse(path).getroot()
    return {r.findtext("DATAID") for section in root for r in section}


@pytest.fixture(scope="module")
def lists_home(built_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """One ingest (one Dagster run and dbt build), files loaded in the order given: UN 2025, Canada, UN 2020."""
    home = copy_home(built_home, tmp_path_factory.mktemp("lists") / "home")
    assert run_cli("--home", str(home.root), "ingest", str(UN_NEW), str(SEMA), str(UN_OLD)) == 0
    order = (home.raw / "ingest_order.csv").read_text(encoding="utf-8")
    assert order.index(UN_NEW.name) < order.index(SEMA.name) < order.index(UN_OLD.name)
    return home


def test_the_files_are_stored_by_format(lists_home: Home):
    stored = {fmt: sorted(p.name.split("_", 1)[1] for p in (lists_home.raw / "sources" / fmt).iterdir()
                          if p.name != "releases.csv")
              for fmt in ("un-consolidated", "canada-sema")}
    assert stored == {"un-consolidated": [UN_OLD.name, UN_NEW.name], "canada-sema": [SEMA.name]}
    assert (lists_home.raw / "sources" / "canada-sema" / f"2025-05-25_{SEMA.name}").is_file()


def test_un_changes_are_the_set_difference_of_the_snapshots(lists_home: Home):
    old, new = dataids(UN_OLD), dataids(UN_NEW)
    changes = query_home(lists_home, """
        SELECT change, entry_id, CAST(as_of AS VARCHAR), CAST(previous_as_of AS VARCHAR)
        FROM history.designation_changes WHERE list_id = 'un_consolidated' AND change IN ('listed', 'delisted')""")
    listed = {e for c, e, *_ in changes if c == "listed"}
    delisted = {e for c, e, *_ in changes if c == "delisted"}
    assert (listed, delisted) == (new - old, old - new)
    assert (len(listed), len(delisted)) == (46, 187)
    assert {(a, p) for _c, _e, a, p in changes} == {("2025-04-19", "2020-11-24")}
    marts = query_home(lists_home, """
        SELECT change, count(*) FROM marts.fct_designation_changes
        WHERE list_id = 'un_consolidated' AND change IN ('listed', 'delisted') GROUP BY change ORDER BY change""")
    assert marts == [("delisted", 187), ("listed", 46)]


def test_entries_keep_first_and_last_seen_and_the_listing_date(lists_home: Home):
    rows = query_home(lists_home, """
        SELECT list_id, count(*), count(*) FILTER (WHERE last_seen = DATE '2025-04-19' OR list_id = 'ca_sema'),
               count(listed_on), count(birth_date) FILTER (WHERE list_id = 'ca_sema'), count(imo_number)
        FROM history.designation_entries WHERE list_id IN ('un_consolidated', 'ca_sema')
        GROUP BY list_id ORDER BY list_id""")
    old, new = dataids(UN_OLD), dataids(UN_NEW)
    assert rows == [("ca_sema", 4758, 4758, 4758, 1713, 109),
                    ("un_consolidated", len(old | new), len(new), len(old | new), 0, 0)]
    ri = query_home(lists_home, """
        SELECT CAST(first_seen AS VARCHAR), CAST(last_seen AS VARCHAR), CAST(listed_on AS VARCHAR), birth_date, target
        FROM staging.stg_designation_entries WHERE list_id = 'un_consolidated' AND entry_id = '6908555'""")
    assert ri == [("2020-11-24", "2025-04-19", "2016-11-30", "1964-07-17", "PRK")]
    vessel = query_home(lists_home, """
        SELECT name, entity_type, imo_number, target FROM staging.stg_designation_entries
        WHERE list_id = 'ca_sema' AND entry_id = 'RUS|IMO 7612448'""")
    assert vessel == [("Balitiyskiy III", "vessel", "7612448", "RUS")]


def test_canada_russia_figures_from_one_snapshot(lists_home: Home):
    figures = query_home(lists_home, """
        SELECT count(*) FILTER (WHERE programmes LIKE 'RUS %'),
               count(*) FILTER (WHERE target = 'RUS'),
               count(*) FILTER (WHERE target = 'RUS' AND listed_on >= DATE '2022-02-24')
        FROM history.designation_entries WHERE list_id = 'ca_sema'""")
    assert figures == [(2425, 2978, 2536)]
    skipped = query_home(lists_home, "SELECT rows_skipped FROM meta.source_releases WHERE source = 'canada-sema'")
    assert skipped == [(1,)]  # the identity collision


def test_the_same_files_again_change_nothing(lists_home: Home, tmp_path: Path):
    home = copy_home(lists_home, tmp_path / "home")
    twins = []
    for path in (UN_OLD, SEMA):
        twin = tmp_path / f"copy_of_{path.name}"
        twin.write_bytes(path.read_bytes())
        twins.append(str(twin))
    raw_before, tables_before = raw_snapshot(home), table_checksums(home, ("raw", "history", "marts"))
    assert run_cli("--home", str(home.root), "ingest", *twins) == 0
    assert raw_snapshot(home) == raw_before
    assert table_checksums(home, ("raw", "history", "marts")) == tables_before
