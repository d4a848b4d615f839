"""Russia-targeted entries matched across lists, and the overlap per pair of lists, on a hand-made history.

Three lists are inserted into a copy of the bundled warehouse as the loader keeps them
(``history.*``, with each name's key from ingestion/normalize/names.py), then dbt builds the
marts. Each entry of Canada's list is made to meet, or just miss, one rule against the US or
the UN list.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingestion.home import Home
from ingestion.normalize.names import key_of_name
from tests.conftest import dbt_build_on_copy

CA, UN, US = "ca_sema", "un_consolidated", "us_ofac_sdn"
MAR, SEP, JUN, APR = date(2025, 3, 31), date(2025, 9, 30), date(2025, 6, 15), date(2025, 4, 19)
FILE = {(US, MAR): "raw/designations/sdn_2025-03-31.csv", (US, SEP): "raw/designations/sdn_2025-09-30.csv",
        (CA, JUN): "raw/designations/sema_2025-06-15.csv", (UN, APR): "raw/designations/un_2025-04-19.csv"}
SNAPSHOTS = [(US, MAR, "USA", FILE[US, MAR], 9), (US, SEP, "USA", FILE[US, SEP], 10),
             (CA, JUN, "CAN", FILE[CA, JUN], 11), (UN, APR, "UN", FILE[UN, APR], 2)]
CA_RU, US_RU = "RUS (Schedule 1, Part 1)", "RUSSIA-EO14024"
#: (list, entry_id, name, entity_type, programmes, target, birth_date, imo_number, last_seen)
ENTRIES = [
    # same name (family name first in both), birth year agrees with the full date
    (CA, "c1", "DERIPASKA, Oleg Vladimirovich", "person", CA_RU, "RUS", "1968", None, JUN),
    (US, "u1", "DERIPASKA, Oleg Vladimirovich", "person", US_RU, "RUS", "1968-01-02", None, SEP),
    # same name, one side gives no birth date
    (CA, "c2", "ROTENBERG, Arkady", "person", CA_RU, "RUS", None, None, JUN),
    (US, "u2", "ROTENBERG, Arkady", "person", US_RU, "RUS", "1951-12-15", None, SEP),
    # same name, two different birth dates: never a match
    (CA, "c3", "YANUKOVYCH, Oleksandr Viktorovych", "person", "UKR (Schedule Part 1)", "RUS", "1973-07-10", None, JUN),
    (US, "u3", "YANUKOVYCH, Oleksandr Viktorovych", "person", "UKRAINE-EO13660", "RUS", "1973-07-01", None, SEP),
    # the same IMO number under another name
    (CA, "c4", "Sun Ship", "vessel", "RUS (Schedule 1.1)", "RUS", None, "9123456", JUN),
    (US, "u4", "MOON SHIP", "vessel", US_RU, "RUS", None, "9123456", SEP),
    # the same name, two different IMO numbers: two ships
    (CA, "c5", "Twin", "vessel", "RUS (Schedule 1.1)", "RUS", None, "9000001", JUN),
    (US, "u5", "TWIN", "vessel", US_RU, "RUS", None, "9000002", SEP),
    # the legal form before or after the name: the same words
    (CA, "c6", "Sibuglemet Group LLC", "organisation", "RUS (Schedule 1, Part 2)", "RUS", None, None, JUN),
    (US, "u6", "LLC SIBUGLEMET GROUP", "organisation", US_RU, "RUS", None, None, SEP),
    # the same name, a person and an organisation
    (CA, "c7", "Alpha", "organisation", "RUS (Schedule 1, Part 2)", "RUS", None, None, JUN),
    (US, "u7", "ALPHA", "person", US_RU, "RUS", None, None, SEP),
    # the UN writes the given name first; it has a Russia-targeted entry here
    (CA, "c8", "PETROV, Ivan", "person", CA_RU, "RUS", None, None, JUN),
    (UN, "n1", "IVAN PETROV", "person", "RUSSIA_TEST", "RUS", None, None, APR),
    (UN, "n2", "KIM IL", "person", "DPRK", "PRK", None, None, APR),
    # delisted by the US before its latest snapshot: not current, so not a match
    (CA, "c9", "GONE, Person", "person", CA_RU, "RUS", None, None, JUN),
    (US, "u8", "GONE, Person", "person", US_RU, "RUS", None, None, MAR),
    # not targeting Russia on either list: out of the comparison
    (CA, "c10", "MINSK, Person", "person", "BLR (Schedule 1)", "BLR", None, None, JUN),
    (US, "u9", "MINSK, Person", "person", "BELARUS-EO14038", "BLR", None, None, SEP),
    # one Canadian entry, two US entries of its name: two matches
    (CA, "c11", "SMITH, John", "person", CA_RU, "RUS", "1970", None, JUN),
    (US, "u10", "SMITH, John", "person", US_RU, "RUS", None, None, SEP),
    (US, "u11", "SMITH, John", "person", US_RU, "RUS", "1970-05-05", None, SEP),
]


def add_history(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        con.executemany("INSERT INTO history.designation_snapshots VALUES (?, ?, ?, ?, ?)", SNAPSHOTS)
        keeper = {US: "USA", CA: "CAN", UN: "UN"}
        first = {US: MAR, CA: JUN, UN: APR}
        con.executemany(
            "INSERT INTO history.designation_entries (list_id, entry_id, imposed_by, name, entity_type, programmes, "
            "target, birth_date, imo_number, name_key, first_seen, last_seen, source_file) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(lst, e, keeper[lst], n, t, p, tg, b, i, key_of_name(n), first[lst], last, FILE[lst, last])
             for lst, e, n, t, p, tg, b, i, last in ENTRIES])
    finally:
        con.close()


@pytest.fixture(scope="module")
def q(built_home: Home, tmp_path_factory: pytest.TempPathFactory):
    return dbt_build_on_copy(built_home, tmp_path_factory.mktemp("matches"), add_history)


def test_each_rule_matches_what_it_says_and_nothing_else(q):
    rows = q("SELECT listed_by, match_rule, confidence, entry_id_a, entry_id_b FROM marts.fct_designation_matches "
             "WHERE list_a = ? AND list_b = ? ORDER BY listed_by, entry_id_a, entry_id_b", [CA, US])
    assert rows == [
        ("both", "name_and_dob", "high", "c1", "u1"),
        ("both", "exact_name", "medium", "c11", "u10"),
        ("both", "name_and_dob", "high", "c11", "u11"),
        ("both", "exact_name", "medium", "c2", "u2"),
        ("both", "imo", "high", "c4", "u4"),
        ("both", "exact_name", "medium", "c6", "u6"),
        # different birth dates, different IMO numbers, a person and an organisation, a delisted US entry
        ("list_a_only", None, None, "c3", None),
        ("list_a_only", None, None, "c5", None),
        ("list_a_only", None, None, "c7", None),
        ("list_a_only", None, None, "c8", None),
        ("list_a_only", None, None, "c9", None),
        ("list_b_only", None, None, None, "u3"),
        ("list_b_only", None, None, None, "u5"),
        ("list_b_only", None, None, None, "u7"),
    ]


def test_a_match_row_carries_both_entries(q):
    rows = q("SELECT keeper_a, as_of_a, name_a, programmes_a, birth_date_a, keeper_b, as_of_b, name_b, programmes_b, "
             "birth_date_b FROM marts.fct_designation_matches WHERE entry_id_a = 'c1' AND list_b = ?", [US])
    assert rows == [("CAN", JUN, "DERIPASKA, Oleg Vladimirovich", CA_RU, "1968",
                     "USA", SEP, "DERIPASKA, Oleg Vladimirovich", US_RU, "1968-01-02")]
    alone = q("SELECT list_b, keeper_b, name_b, entity_type_b FROM marts.fct_designation_matches "
              "WHERE entry_id_a = 'c7' AND list_b = ?", [US])
    assert alone == [(US, "USA", None, None)]


def test_the_un_list_is_compared_like_any_other(q):
    rows = q("SELECT list_a, list_b, listed_by, match_rule, entry_id_a, entry_id_b FROM marts.fct_designation_matches "
             "WHERE ? IN (list_a, list_b)", [UN])
    # given name first on the UN's list, family name first on Canada's: the same words
    assert (CA, UN, "both", "exact_name", "c8", "n1") in rows
    assert (UN, US, "list_a_only", None, "n1", None) in rows
    assert len(rows) == 20  # each pair: n1 and the other list's nine entries it does not match
    assert "n2" not in {row[4] for row in rows} | {row[5] for row in rows}  # the UN's DPRK entry is not compared


def test_overlap_counts_per_pair_of_lists(q):
    rows = q("SELECT list_a, keeper_a, list_b, keeper_b, entries_a, entries_b, listed_by_both_a, listed_by_both_b, "
             "list_a_only, list_b_only, matched_pairs, pairs_imo, pairs_name_and_dob, pairs_exact_name "
             "FROM marts.designations_overlap ORDER BY list_a, list_b")
    assert rows == [
        (CA, "CAN", UN, "UN", 10, 1, 1, 1, 9, 0, 1, 0, 0, 1),
        # c11 matches u10 and u11: 5 Canadian entries, 6 US entries listed by both
        (CA, "CAN", US, "USA", 10, 9, 5, 6, 5, 3, 6, 1, 2, 3),
        (UN, "UN", US, "USA", 1, 9, 0, 0, 1, 9, 0, 0, 0, 0),
    ]
