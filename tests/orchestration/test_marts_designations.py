"""Marts over a sanctions list's history: entries listed or delisted, changes, monthly counts, Russia figures.

The history the designations load keeps (``history.*``, ingestion/designation_history.py) is
inserted by SQL into a copy of the bundled warehouse, exactly as the loader computes it from three
snapshots of OFAC's SDN list and one of a Canadian list, then dbt builds the marts on it. The marts
read the history only, never raw.designations.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingestion.home import Home
from tests.conftest import dbt_build_on_copy

SDN = "us_ofac_sdn"
SEMA = "ca_sema"
MAR, AUG, SEP = date(2024, 3, 31), date(2024, 8, 31), date(2025, 9, 30)
JUN = date(2025, 6, 15)
FILE = {MAR: "raw/designations/sdn_2024-03-31.csv", AUG: "raw/designations/sdn_2024-08-31.csv",
        SEP: "raw/designations/sdn_2025-09-30.csv", JUN: "raw/designations/sema_2025-06-15.csv"}
RU = "RUSSIA-EO14024"

#: (list_id, as_of, imposed_by, source_file, entries)
SNAPSHOTS = [
    (SDN, MAR, "USA", FILE[MAR], 4),
    (SDN, AUG, "USA", FILE[AUG], 4),
    (SDN, SEP, "USA", FILE[SEP], 6),
    # a keeper with no other data, and a list with one snapshot (no changes yet)
    (SEMA, JUN, "CAN", FILE[JUN], 3),
]
#: (list_id, entry_id, imposed_by, name, entity_type, programmes, target, remarks, first_seen, last_seen, source_file)
ENTRIES = [
    (SDN, "100", "USA", "ALPHA HOLDINGS LLC", "organisation", RU, "RUS", None, MAR, SEP, FILE[SEP]),
    (SDN, "101", "USA", "BORIS BETA", "person", f"{RU};UKRAINE-EO13660", "RUS", None, MAR, SEP, FILE[SEP]),
    (SDN, "102", "USA", "CHARLIE VESSEL", "vessel", RU, "RUS", None, MAR, SEP, FILE[SEP]),  # out in AUG, back
    (SDN, "103", "USA", "ECHO SHIP", "vessel", RU, "RUS", None, AUG, AUG, FILE[AUG]),  # delisted in SEP
    (SDN, "104", "USA", "FOXTROT", "person", RU, "RUS", None, SEP, SEP, FILE[SEP]),
    (SDN, "200", "USA", "DELTA CO", "organisation", "IRAN", "IRN", None, MAR, SEP, FILE[SEP]),
    (SDN, "201", "USA", "GOLF", "person", "CUBA", "CUB", None, SEP, SEP, FILE[SEP]),
    (SEMA, "1", "CAN", "HOTEL", "person", "RUS (Schedule 1, Part 1)", "RUS", None, JUN, JUN, FILE[JUN]),
    (SEMA, "2", "CAN", "INDIA LLC", "organisation", "RUS (Schedule 1, Part 2)", "RUS", None, JUN, JUN, FILE[JUN]),
    (SEMA, "3", "CAN", "JULIETT", "person", "BLR (Schedule 1)", "BLR", None, JUN, JUN, FILE[JUN]),
]
#: the listing dates the Canadian list gives (OFAC's gives none)
LISTED_ON = {"1": date(2025, 1, 10), "2": date(2022, 3, 1), "3": date(2025, 2, 1)}
#: (list_id, entry_id, as_of, previous_as_of, change, old_value, new_value, entity_type, target, source_file)
CHANGES = [
    (SDN, "102", AUG, MAR, "delisted", "CHARLIE VESSEL", None, "vessel", "RUS", FILE[AUG]),
    (SDN, "103", AUG, MAR, "listed", None, "ECHO SHIP", "vessel", "RUS", FILE[AUG]),
    (SDN, "100", SEP, AUG, "renamed", "ALPHA LLC", "ALPHA HOLDINGS LLC", "organisation", "RUS", FILE[SEP]),
    (SDN, "101", SEP, AUG, "programmes_changed", RU, f"{RU};UKRAINE-EO13660", "person", "RUS", FILE[SEP]),
    (SDN, "102", SEP, AUG, "relisted", None, "CHARLIE VESSEL", "vessel", "RUS", FILE[SEP]),
    (SDN, "103", SEP, AUG, "delisted", "ECHO SHIP", None, "vessel", "RUS", FILE[SEP]),
    (SDN, "104", SEP, AUG, "listed", None, "FOXTROT", "person", "RUS", FILE[SEP]),
    (SDN, "201", SEP, AUG, "listed", None, "GOLF", "person", "CUB", FILE[SEP]),
]


def add_history(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        con.executemany("INSERT INTO history.designation_snapshots VALUES (?, ?, ?, ?, ?)", SNAPSHOTS)
        con.executemany("INSERT INTO history.designation_entries (list_id, entry_id, imposed_by, name, entity_type, "
                        "programmes, target, remarks, first_seen, last_seen, source_file) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ENTRIES)
        con.executemany("UPDATE history.designation_entries SET listed_on = ? WHERE list_id = ? AND entry_id = ?",
                        [(listed_on, SEMA, entry) for entry, listed_on in LISTED_ON.items()])
        con.executemany("INSERT INTO history.designation_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", CHANGES)
    finally:
        con.close()


@pytest.fixture(scope="module")
def q(built_home: Home, tmp_path_factory: pytest.TempPathFactory):
    return dbt_build_on_copy(built_home, tmp_path_factory.mktemp("designations"), add_history)


def test_an_entry_missing_from_the_latest_snapshot_is_delisted(q):
    rows = q("SELECT entry_id, name, entity_type, programmes, target, first_seen, last_seen, is_listed, "
             "imposed_by, source_file FROM marts.fct_designations WHERE list_id = ? ORDER BY entry_id", [SDN])
    assert rows == [
        ("100", "ALPHA HOLDINGS LLC", "organisation", RU, "RUS", MAR, SEP, True, "USA", FILE[SEP]),
        ("101", "BORIS BETA", "person", f"{RU};UKRAINE-EO13660", "RUS", MAR, SEP, True, "USA", FILE[SEP]),
        ("102", "CHARLIE VESSEL", "vessel", RU, "RUS", MAR, SEP, True, "USA", FILE[SEP]),
        ("103", "ECHO SHIP", "vessel", RU, "RUS", AUG, AUG, False, "USA", FILE[AUG]),
        ("104", "FOXTROT", "person", RU, "RUS", SEP, SEP, True, "USA", FILE[SEP]),
        ("200", "DELTA CO", "organisation", "IRAN", "IRN", MAR, SEP, True, "USA", FILE[SEP]),
        ("201", "GOLF", "person", "CUBA", "CUB", SEP, SEP, True, "USA", FILE[SEP]),
    ]
    # a list is listed-now against its own latest snapshot
    assert q("SELECT bool_and(is_listed), count(*) FROM marts.fct_designations WHERE list_id = ?", [SEMA]) == [
        (True, 3)
    ]


def test_changes_carry_the_keeper_of_the_later_snapshot(q):
    rows = q("SELECT entry_id, as_of, previous_as_of, change, old_value, new_value, entity_type, target, "
             "imposed_by, source_file FROM marts.fct_designation_changes ORDER BY as_of, entry_id, change")
    assert rows == [(e, a, p, c, o, n, t, tg, "USA", f) for _l, e, a, p, c, o, n, t, tg, f in sorted(
        CHANGES, key=lambda r: (r[2], r[1], r[4]))]
    assert q("SELECT count(*) FROM marts.fct_designation_changes WHERE list_id = ?", [SEMA]) == [(0,)]


def test_additions_and_delistings_by_month_of_the_later_snapshot(q):
    rows = q("SELECT list_id, imposed_by, target, entity_type, month, additions, delistings "
             "FROM marts.designations_by_month ORDER BY month, target, entity_type")
    assert rows == [
        (SDN, "USA", "RUS", "vessel", date(2024, 8, 1), 1, 1),
        (SDN, "USA", "CUB", "person", date(2025, 9, 1), 1, 0),
        (SDN, "USA", "RUS", "person", date(2025, 9, 1), 1, 0),  # the programme change is not counted
        (SDN, "USA", "RUS", "vessel", date(2025, 9, 1), 1, 1),  # relisted 102, delisted 103
    ]


def test_russia_figures_of_each_list_keeper(q):
    rows = q("SELECT country, figure, value, unit, period_from, period_to FROM marts.country_issue_figures "
             "WHERE figure LIKE 'designations_%' AND issue = 'sanctions_on_russia' AND country IN ('CAN', 'USA') "
             "ORDER BY country, figure")
    assert rows == [
        # one snapshot, but the list gives listing dates: HOTEL (listed 2025-01-10) is in the 12 months,
        # INDIA LLC (2022) is not, JULIETT does not target Russia
        ("CAN", "designations_added_russia_12m", 1.0, "entries", date(2024, 6, 16), JUN),
        ("CAN", "designations_listed_russia", 2.0, "entries", JUN, JUN),
        # Canada's Russia regime, every schedule part; its Ukraine regime holds none of them (a measured 0)
        ("CAN", "designations_listed_russia_regime", 2.0, "entries", JUN, JUN),
        ("CAN", "designations_listed_ukraine_related", 0.0, "entries", JUN, JUN),
        # relisted 102 and listed 104 in Sep 2025; 103 (listed Aug 2024) is outside the window
        ("USA", "designations_added_russia_12m", 2.0, "entries", date(2024, 10, 1), SEP),
        ("USA", "designations_listed_caatsa_russia", 0.0, "entries", SEP, SEP),
        # 100, 101, 102, 104; not the delisted 103 nor the Iranian and Cuban entries
        ("USA", "designations_listed_russia", 4.0, "entries", SEP, SEP),
        ("USA", "designations_listed_russia_eo14024", 4.0, "entries", SEP, SEP),
        ("USA", "designations_listed_ukraine_related", 1.0, "entries", SEP, SEP),  # 101
    ]
    scorecard = dict(q("SELECT country, russia_designations_listed FROM marts.country_scorecard "
                       "WHERE country IN ('USA', 'CAN', 'DEU')"))
    assert scorecard == {"USA": 4, "CAN": 2, "DEU": None}


def test_list_keepers_join_the_grid_and_their_russia_entries_are_evidence(q):
    assert q("SELECT count(*) FROM marts.country_issue WHERE country = 'CAN'") == q("SELECT count(*) FROM ref.issues")
    # HOTEL and INDIA LLC listed now, and HOTEL's listing in the 12 months
    assert q("SELECT evidence_count, latest_event_on FROM marts.country_issue "
             "WHERE country = 'CAN' AND issue = 'sanctions_on_russia'") == [(3, JUN)]
    evidence = q("SELECT evidence_id, event_on, source_file FROM intermediate.int_country_issue_evidence "
                 "WHERE dataset = 'designations' AND country = 'USA' ORDER BY evidence_id")
    assert evidence == [  # the rows behind the figures: each entry listed now, each addition in the 12 months
        (f"{SDN}:100", SEP, FILE[SEP]), (f"{SDN}:101", SEP, FILE[SEP]), (f"{SDN}:102", SEP, FILE[SEP]),
        (f"{SDN}:102:2025-09-30", SEP, FILE[SEP]), (f"{SDN}:104", SEP, FILE[SEP]),
        (f"{SDN}:104:2025-09-30", SEP, FILE[SEP]),
    ]
    roles = q("SELECT country, role, row_count FROM intermediate.int_country_roles "
              "WHERE dataset = 'designations' ORDER BY country, role")
    assert roles == [("BLR", "target", 1), ("CAN", "imposed_by", 3), ("CUB", "target", 1), ("IRN", "target", 1),
                     ("RUS", "target", 7), ("USA", "imposed_by", 7)]
