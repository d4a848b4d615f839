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
