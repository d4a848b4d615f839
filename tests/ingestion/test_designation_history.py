"""A list's history from its snapshots: exact changes, and the same tables whatever the loading order."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingestion.datasets import get_dataset
from ingestion.load import load_rows, remove_file
from ingestion.prepare import prepare_file
from ingestion.sync import _refusal
from ingestion.warehouse_schema import ensure_schema

HEADER = "list_id,imposed_by,as_of,entry_id,name,entity_type,programmes,target\n"
#: four synthetic snapshots of one list: entry 3 leaves and comes back, 2 is renamed, 1 changes programme
SNAPSHOTS = {
    "2022-01-01": ["1,ALPHA,organisation,UKRAINE-EO13662,Russia", "2,BRAVO,person,CUBA,", "3,CHARLIE,vessel,SYRIA,"],
    "2022-02-01": ["1,ALPHA,organisation,UKRAINE-EO13662;RUSSIA-EO14024,Russia", "2,BRAVO LTD,person,CUBA,"],
    "2022-03-01": ["1,ALPHA,organisation,UKRAINE-EO13662;RUSSIA-EO14024,Russia", "2,BRAVO LTD,person,CUBA,",
                   "3,CHARLIE,vessel,SYRIA,", "4,DELTA,aircraft,RUSSIA-EO14024,Russia"],
    "2022-04-01": ["2,BRAVO LTD,person,CUBA,", "4,DELTA,aircraft,RUSSIA-EO14024,Russia"],
}
EXPECTED_CHANGES = {
    ("1", "2022-02-01", "programmes_changed", "UKRAINE-EO13662", "UKRAINE-EO13662;RUSSIA-EO14024"),
    ("2", "2022-02-01", "renamed", "BRAVO", "BRAVO LTD"),
    ("3", "2022-02-01", "delisted", "CHARLIE", None),
    ("3", "2022-03-01", "relisted", None, "CHARLIE"),
    ("4", "2022-03-01", "listed", None, "DELTA"),
    ("1", "2022-04-01", "delisted", "ALPHA", None),
    ("3", "2022-04-01", "delisted", "CHARLIE", None),
}
EXPECTED_ENTRIES = {
    ("1", "ALPHA", "2022-01-01", "2022-03-01"),
    ("2", "BRAVO LTD", "2022-01-01", "2022-04-01"),
    ("3", "CHARLIE", "2022-01-01", "2022-03-01"),
    ("4", "DELTA", "2022-03-01", "2022-04-01"),
}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("snapshots")
    files = {}
    for as_of, entries in SNAPSHOTS.items():
        path = folder / f"synthetic_sdn_{as_of}.csv"
        path.write_text(HEADER + "".join(f"us_ofac_sdn,USA,{as_of},{e}\n" for e in entries), encoding="utf-8")
        result = prepare_file(path, get_dataset("designations"), today=date(2026, 11, 25))
        assert result.accepted, result.problems
        files[as_of] = result
    return files


def load(con: duckdb.DuckDBPyConnection, prepared: dict, as_of: str, seq: int) -> None:
    load_rows(con, get_dataset("designations"), prepared[as_of].rows, source_file=f"raw/designations/{as_of}.csv",
              sha256=as_of, ingest_seq=seq, run_id=None)


def history(con: duckdb.DuckDBPyConnection) -> tuple[set, set]:
    changes = {(e, str(a), c, o, n) for e, a, c, o, n in con.execute(
        "SELECT entry_id, as_of, change, old_value, new_value FROM history.designation_changes").fetchall()}
    entries = {(e, n, str(f), str(la)) for e, n, f, la in con.execute(
        "SELECT entry_id, name, first_seen, last_seen FROM history.designation_entries").fetchall()}
    return changes, entries


def fresh(tmp_path: Path, name: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / f"{name}.duckdb"))
    ensure_schema(con)
    return con


def test_changes_between_consecutive_snapshots_are_exact(prepared, tmp_path):
    con = fresh(tmp_path, "ordered")
    for seq, as_of in enumerate(SNAPSHOTS, 1):
        load(con, prepared, as_of, seq)
    assert history(con) == (EXPECTED_CHANGES, EXPECTED_ENTRIES)
    programmes = con.execute("SELECT programmes FROM history.designation_entries WHERE entry_id = '1'").fetchone()
    assert programmes == ("UKRAINE-EO13662;RUSSIA-EO14024",)


@pytest.mark.parametrize("order", [p for i, p in enumerate(itertools.permutations(SNAPSHOTS)) if i % 5 == 1])
def test_any_loading_order_gives_the_same_history(prepared, tmp_path, order):
    con = fresh(tmp_path, "any")
    for seq, as_of in enumerate(order, 1):
        load(con, prepared, as_of, seq)
    assert history(con) == (EXPECTED_CHANGES, EXPECTED_ENTRIES)


def test_removing_a_snapshot_rebuilds_its_list_without_it(prepared, tmp_path):
    con = fresh(tmp_path, "removed")
    for seq, as_of in enumerate(SNAPSHOTS, 1):
        load(con, prepared, as_of, seq)
    remove_file(con, "designations", source_file="raw/designations/2022-02-01.csv", run_id=None)
    changes, _entries = history(con)
    assert ("3", "2022-03-01", "relisted", None, "CHARLIE") not in changes  # 3 was never absent without Feb
    assert ("2", "2022-03-01", "renamed", "BRAVO", "BRAVO LTD") in changes
    assert ("4", "2022-03-01", "listed", None, "DELTA") in changes


def test_loading_the_same_snapshot_file_again_changes_nothing(prepared, tmp_path):
    con = fresh(tmp_path, "twice")
    for seq, as_of in enumerate(SNAPSHOTS, 1):
        load(con, prepared, as_of, seq)
    before = history(con)
    load(con, prepared, "2022-03-01", 9)
    assert history(con) == before


def test_a_second_file_for_the_same_snapshot_is_refused(prepared, tmp_path):
    con = fresh(tmp_path, "conflict")
    load(con, prepared, "2022-01-01", 1)
    reason = _refusal(con, "designations", prepared["2022-01-01"], "raw/designations/other.csv")
    assert reason.startswith("the snapshot of us_ofac_sdn as of 2022-01-01 is already loaded from "
                             "raw/designations/2022-01-01.csv")
    assert _refusal(con, "designations", prepared["2022-01-01"], "raw/designations/2022-01-01.csv") is None


# --- listing date, date of birth and IMO number -------------------------------------------------------

DETAIL_HEADER = "list_id,imposed_by,as_of,entry_id,name,entity_type,listed_on,birth_date,imo_number\n"
#: two snapshots of a list that gives listing dates: entry 1's date of birth is corrected in the later one
DETAILED = {
    "2023-01-01": ["1,ALPHA,person,2022-03-01,1970,", "2,BRAVO,vessel,2022-04-01,,9123456"],
    "2024-01-01": ["1,ALPHA,person,2022-03-01,1970-05-06,", "2,BRAVO,vessel,2022-04-01,,9123456",
                   "3,CHARLIE,organisation,2023-06-30,,"],
}


@pytest.fixture(scope="module")
def detailed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("detailed")
    files = {}
    for as_of, entries in DETAILED.items():
        path = folder / f"synthetic_list_{as_of}.csv"
        path.write_text(DETAIL_HEADER + "".join(f"ca_sema,CAN,{as_of},{e}\n" for e in entries), encoding="utf-8")
        result = prepare_file(path, get_dataset("designations"), today=date(2026, 11, 25))
        assert result.accepted, result.problems
        files[as_of] = result
    return files


def entry_details(con: duckdb.DuckDBPyConnection) -> set:
    return {(e, str(lo), b, i, str(f), str(la)) for e, lo, b, i, f, la in con.execute(
        "SELECT entry_id, listed_on, birth_date, imo_number, first_seen, last_seen "
        "FROM history.designation_entries").fetchall()}


@pytest.mark.parametrize("order", [("2023-01-01", "2024-01-01"), ("2024-01-01", "2023-01-01")])
def test_entries_keep_listing_date_birth_date_and_imo_of_their_latest_snapshot(detailed, tmp_path, order):
    con = fresh(tmp_path, "detailed")
    for seq, as_of in enumerate(order, 1):
        load_rows(con, get_dataset("designations"), detailed[as_of].rows, source_file=f"raw/designations/{as_of}.csv",
                  sha256=as_of, ingest_seq=seq, run_id=None)
    assert entry_details(con) == {
        ("1", "2022-03-01", "1970-05-06", None, "2023-01-01", "2024-01-01"),
        ("2", "2022-04-01", None, "9123456", "2023-01-01", "2024-01-01"),
        ("3", "2023-06-30", None, None, "2024-01-01", "2024-01-01"),
    }


def test_a_history_table_of_the_old_shape_gets_the_new_columns(detailed, tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("CREATE SCHEMA history")
    con.execute("""CREATE TABLE history.designation_entries (
        list_id VARCHAR NOT NULL, entry_id VARCHAR NOT NULL, imposed_by VARCHAR, name VARCHAR, entity_type VARCHAR,
        programmes VARCHAR, target VARCHAR, remarks VARCHAR, first_seen DATE NOT NULL, last_seen DATE NOT NULL,
        source_file VARCHAR, PRIMARY KEY (list_id, entry_id))""")
    con.execute("INSERT INTO history.designation_entries VALUES ('old', '1', 'USA', 'X', 'person', NULL, NULL, NULL, "
                "'2020-01-01', '2020-01-01', 'raw/designations/old.csv')")
    ensure_schema(con)
    fresh_con = fresh(tmp_path, "new")
    shape = "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'designation_entries' ORDER BY 1"
    assert con.execute(shape).fetchall() == fresh_con.execute(shape).fetchall()
    load_rows(con, get_dataset("designations"), detailed["2024-01-01"].rows,
              source_file="raw/designations/2024-01-01.csv", sha256="x", ingest_seq=1, run_id=None)
    assert ("1", "2022-03-01", "1970-05-06", None, "2024-01-01", "2024-01-01") in entry_details(con)
    assert con.execute("SELECT name, listed_on FROM history.designation_entries WHERE list_id = 'old'").fetchall() \
        == [("X", None)]


def test_entries_keep_the_name_key_of_their_latest_name(prepared, tmp_path):
    con = fresh(tmp_path, "keys")
    for seq, as_of in enumerate(reversed(SNAPSHOTS), 1):
        load(con, prepared, as_of, seq)
    keys = dict(con.execute("SELECT entry_id, name_key FROM history.designation_entries").fetchall())
    assert keys == {"1": "alpha", "2": "bravo ltd", "3": "charlie", "4": "delta"}


def test_entries_loaded_before_the_name_key_get_theirs(tmp_path):
    con = fresh(tmp_path, "unkeyed")
    con.execute("INSERT INTO history.designation_entries (list_id, entry_id, name, first_seen, last_seen) VALUES "
                "('us_ofac_sdn', '7', 'DERIPASKA, Oleg Vladimirovich', '2022-02-24', '2022-02-24'), "
                "('ca_sema', 'RUS|x', 'Zavod Fiolent AO', '2025-05-25', '2025-05-25')")
    ensure_schema(con)
    assert sorted(con.execute("SELECT entry_id, name_key FROM history.designation_entries").fetchall()) == [
        ("7", "deripaska oleg vladimirovich"), ("RUS|x", "zavod fiolent ao")]


def test_a_raw_table_of_the_old_shape_gets_the_new_contract_columns(tmp_path):
    con = duckdb.connect(str(tmp_path / "old_raw.duckdb"))
    con.execute("CREATE SCHEMA raw")
    old = {k: v for k, v in get_dataset("designations").table_columns().items()
           if k not in ("listed_on", "birth_date", "imo_number")}
    con.execute("CREATE TABLE raw.designations (" + ", ".join(f"{k} {v}" for k, v in old.items()) + ")")
    ensure_schema(con)
    shape = ("SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'raw' "
             "AND table_name = 'designations'")
    columns = dict(con.execute(shape).fetchall())
    assert (columns["listed_on"], columns["birth_date"], columns["imo_number"]) == ("DATE", "VARCHAR", "VARCHAR")
    assert set(columns) == set(get_dataset("designations").table_columns())
    ensure_schema(con)  # a second time: nothing to add, nothing fails
    assert dict(con.execute(shape).fetchall()) == columns


def test_listing_date_birth_date_and_imo_are_checked(tmp_path):
    path = tmp_path / "bad_details.csv"
    path.write_text(DETAIL_HEADER + "".join(f"ca_sema,CAN,2024-01-01,{e}\n" for e in [
        "1,A,person,2024-02-01,1970,",          # listed after the snapshot
        "2,B,person,,1970-13,",                 # not a month
        "3,C,person,,70-01-01,",                # not a date of birth
        "4,D,vessel,,,IMO 912345",              # not 7 digits
        "5,E,person,,1970-02-30,",              # not a valid date
        "6,F,person,2020-01-01,1970-02,9123456",
    ]), encoding="utf-8")
    result = prepare_file(path, get_dataset("designations"), today=date(2026, 11, 25))
    assert sorted((p.row, p.column, p.value) for p in result.problems) == [
        (1, "listed_on", "2024-02-01"), (2, "birth_date", "1970-13"), (3, "birth_date", "70-01-01"),
        (4, "imo_number", "IMO 912345"), (5, "birth_date", "1970-02-30"),
    ]
