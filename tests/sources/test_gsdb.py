"""Tests of the ``gsdb`` publisher format (ingestion/sources/gsdb.py): GSDB V3 cases → ``sanctions``."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from ingestion.datasets.sanctions import MEASURE_TYPES, SANCTIONS, STATUSES
from ingestion.prepare import normalise_rows, validate_rows
from ingestion.problems import ProblemList
from ingestion.readers import read_file
from ingestion.sources import get_source, recognise
from ingestion.sources.base import Mapped, SourceOptions
from ingestion.sources.gsdb import FORMAT, split_names

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
GSDB_FILE = REAL / "sanctions" / "GSDB_V3.csv"
HEADER = ["case_id", "sanctioned_state", "sanctioning_state", "begin", "end", "trade", "descr_trade", "arms",
          "military", "financial", "travel", "other", "target_mult", "sender_mult", "objective", "success"]
FLAGS = ("arms", "military", "financial", "travel", "other")


def map_file(path: Path) -> Mapped:
    """Read ``path`` as the pipeline does and map it as ``gsdb``."""
    return FORMAT.map(read_file(path), SourceOptions())


def normalise(mapped: Mapped) -> list[str]:
    """The problems that normalising the mapped rows finds, as text."""
    problems = ProblemList("gsdb")
    normalise_rows(mapped.rows, SANCTIONS, problems)
    return [p.as_text() for p in problems.to_list()]


def write_gsdb(path: Path, rows: list[list[str]], *, bom: bool = True) -> Path:
    """A GSDB-shaped CSV (BOM, header, quoted fields) of ``rows`` (case_id .. other; the rest filled in)."""
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows([*row, "0", "0", "policy_change", "ongoing"] for row in rows)
    return path


def ids(mapped: Mapped) -> set[str]:
    return set(mapped.rows.get_column("measure_id"))


def skips(mapped: Mapped) -> list[tuple[int, str, str | None]]:
    return [(r["row"], r["column"], r["value"]) for r in mapped.skipped.to_dicts()]


# --- the real file ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_records() -> list[dict[str, str]]:
    if not GSDB_FILE.is_file():
        pytest.skip(f"real data not found at {GSDB_FILE}")
    with GSDB_FILE.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def real(real_records) -> Mapped:
    return map_file(GSDB_FILE)


def test_real_file_starts_with_a_bom_that_the_reader_strips(real_records):
    assert GSDB_FILE.read_bytes()[:3] == b"\xef\xbb\xbf"
    frame = read_file(GSDB_FILE)
    assert frame.columns[1] == "case_id"
    assert recognise(frame.columns) is get_source("gsdb")


def test_real_file_counts(real):
    assert real.counts == {"cases": 588, "cases_mapped": 571, "measures": 2399}
    assert real.rows.height == 2399
    assert real.skipped.height == 17
    # every skip is a whole case whose only target (or only sender) is not a country or known sender
    assert set(real.skipped.get_column("column")) == {"sanctioned_state", "sanctioning_state"}
    assert real.skipped.get_column("row").n_unique() == 17


def test_real_file_skip_reasons(real):
    values = Counter(real.skipped.get_column("value"))
    assert values == {
        "EU": 6, "South Vietnam": 3, "Terrorist Organizations (Al-Qaeda)": 1, "Terrorist Organizations (Taliban)": 1,
        "Terrorist Organizations (ISIL and ANF)": 1, "Cyprus (Northern)": 1, "League of Arab States": 1,
        "ECOWAS": 1, "Balkans": 1, "Western Balkans": 1,
    }
    by_value = {r["value"]: r["reason"] for r in real.skipped.to_dicts()}
    assert by_value["EU"] == "target 'EU' is an organisation, not a country: the sanctions target must be a country"
    assert by_value["ECOWAS"].startswith("target 'ECOWAS' is an organisation, not a country")
    assert "names no known country" in by_value["Cyprus (Northern)"]
    assert "not guessed" in by_value["Balkans"]
    sender = real.skipped.filter(pl.col("column") == "sanctioning_state").to_dicts()
    assert [(r["row"], r["value"]) for r in sender] == [(140, "South Vietnam")]
    assert "closest known names: Vietnam" in sender[0]["reason"]


def test_real_file_every_case_is_mapped_or_skipped(real, real_records):
    mapped = set(real.rows.get_column("__row"))
    skipped = set(real.skipped.get_column("row"))
    assert mapped.isdisjoint(skipped)
    assert mapped | skipped == set(range(1, len(real_records) + 1))


def test_real_file_normalises_without_problems(real):
    assert normalise(real) == []
    assert real.rows.schema["__row"] == pl.Int64
    assert all(dtype == pl.String for name, dtype in real.rows.schema.items() if name != "__row")


def test_real_file_passes_the_sanctions_suite(real, tmp_path):
    """The pipeline's Great Expectations suite (unique measure_id, enums, dates not in the future) accepts it."""
    problems = ProblemList("gsdb")
    texts, rows = normalise_rows(real.rows, SANCTIONS, problems)
    validate_rows(rows, texts, SANCTIONS, problems, today=date(2025, 10, 1))
    assert [p.as_text() for p in problems.to_list()] == []


def test_real_file_values_are_in_the_contract(real):
    rows = real.rows
    assert rows.get_column("measure_id").is_unique().all()
    assert set(rows.get_column("measure_type")) <= set(MEASURE_TYPES)
    assert set(rows.get_column("status")) == {"in_force", "lifted"} <= set(STATUSES)
    assert set(rows.get_column("sector").drop_nulls()) == {"arms", "military"}
    assert rows.get_column("announced_on").str.contains(r"^\d{4}-01-01$").all()
    assert set(rows.get_column("source_name")) == {"Global Sanctions Data Base (GSDB) v3"}
    assert rows.get_column("description").str.contains("The source gives years only").all()


def test_real_file_in_force_measures_against_russia(real, real_records):
    """Counted from the raw file: senders × (export/import kinds of descr_trade + other flags) of ongoing cases."""
    last = max(int(r["end"]) for r in real_records)
    expected = 0
    for r in real_records:
        targets = [t.strip() for t in r["sanctioned_state"].split(",")]
        if "Russia" not in targets or int(r["end"]) != last:
            continue
        trade_kinds = {item.strip()[:4] for item in r["descr_trade"].split(",") if item.strip()}
        kinds = (len(trade_kinds) if r["trade"] == "1" else 0) + sum(r[f] == "1" for f in FLAGS)
        expected += len(r["sanctioning_state"].split(",")) * kinds
    in_force = real.rows.filter((pl.col("target") == "RUS") & (pl.col("status") == "in_force"))
    assert (last, expected) == (2022, 155)
    assert in_force.height == expected


def test_real_case_1303_g7_and_eu_on_russia(real):
    case = real.rows.filter(pl.col("measure_id").str.starts_with("gsdb:1303:"))
    # "G7, EU", trade exp_part + imp_part, financial 1: 2 senders × 3 measures
    assert sorted(case.get_column("measure_id")) == [
        "gsdb:1303:EUU:RUS:export_ban", "gsdb:1303:EUU:RUS:financial", "gsdb:1303:EUU:RUS:import_ban",
        "gsdb:1303:G7:RUS:export_ban", "gsdb:1303:G7:RUS:financial", "gsdb:1303:G7:RUS:import_ban",
    ]
    assert set(case.get_column("announced_on")) == {"2022-01-01"}
    assert set(case.get_column("status")) == {"in_force"}


def test_real_case_864_eleven_senders_on_myanmar(real):
    case = real.rows.filter(pl.col("measure_id").str.starts_with("gsdb:864:"))
    # 11 senders × (export_ban, import_ban, arms, military, financial, travel); ended 2013
    assert case.height == 11 * 6
    assert set(case.get_column("status")) == {"lifted"}
    assert set(case.get_column("target")) == {"MMR"}
    assert "MKD" in set(case.get_column("imposed_by"))  # "Macedonia"


def test_real_gambia_and_north_yemen_stay_one_name(real):
    gambia = real.rows.filter(pl.col("measure_id").str.starts_with("gsdb:990:"))
    assert set(gambia.get_column("target")) == {"GMB"}
    qatar = real.rows.filter(pl.col("measure_id").str.starts_with("gsdb:1069:"))
    assert set(qatar.get_column("imposed_by")) == {"MRT", "DJI", "COM", "JOR", "LBY", "YEM", "NER"}


# --- splitting names --------------------------------------------------------------------------


def test_split_names_keeps_known_names_with_commas():
    assert split_names(["G7, EU", "Gambia, The", "Yemen, North, Niger", "Korea, Rep., Atlantis, EU"]) == {
        "G7, EU": ["G7", "EU"],
        "Gambia, The": ["Gambia, The"],
        "Yemen, North, Niger": ["Yemen, North", "Niger"],
        "Korea, Rep., Atlantis, EU": ["Korea, Rep.", "Atlantis", "EU"],
    }


# --- synthetic files: one edge rule each -----------------------------------------------------


def test_g7_eu_splits_and_gambia_stays_one(tmp_path):
    path = write_gsdb(tmp_path / "g.csv", [
        ["1", "Russia", "G7, EU", "2022", "2022", "0", "", "0", "0", "1", "0", "0"],
        ["2", "Gambia, The", "United States", "2015", "2022", "0", "", "0", "0", "0", "1", "0"],
    ])
    mapped = map_file(path)
    assert ids(mapped) == {"gsdb:1:G7:RUS:financial", "gsdb:1:EUU:RUS:financial", "gsdb:2:USA:GMB:travel_ban"}
    assert mapped.skipped.height == 0
    assert normalise(mapped) == []


def test_unknown_part_is_skipped_and_the_others_still_map(tmp_path):
    path = write_gsdb(tmp_path / "u.csv", [
        ["7", "Russia, Atlantis", "EU, Ruritania", "2020", "2022", "0", "", "0", "0", "1", "0", "0"],
        ["8", "Atlantis", "EU", "2020", "2022", "0", "", "0", "0", "1", "0", "0"],
    ])
    mapped = map_file(path)
    assert ids(mapped) == {"gsdb:7:EUU:RUS:financial"}
    assert skips(mapped) == [
        (1, "sanctioned_state", "Atlantis"), (1, "sanctioning_state", "Ruritania"), (2, "sanctioned_state", "Atlantis"),
    ]
    reasons = mapped.skipped.get_column("reason").to_list()
    assert reasons[2].endswith("not guessed")  # alone in its field: no "one of the names" note
    assert reasons[0].startswith("target 'Atlantis' names no known country")
    assert reasons[0].endswith(
        "not guessed; one of the names in 'Russia, Atlantis', the others are mapped on their own"
    )
    assert reasons[1].startswith("sender 'Ruritania' names no known country, bloc, organisation or region")


def test_bloc_target_is_skipped_but_bloc_and_organisation_senders_map(tmp_path):
    path = write_gsdb(tmp_path / "b.csv", [
        ["1", "EU", "Russia", "2014", "2022", "1", "imp_compl", "0", "0", "0", "0", "0"],
        ["2", "Central African Republic", "Kimberly Process Participants, UN", "2013", "2016",
         "1", "imp_part", "0", "0", "0", "0", "0"],
    ])
    mapped = map_file(path)
    assert ids(mapped) == {"gsdb:2:KIMBERLEY_PROCESS:CAF:import_ban", "gsdb:2:UN:CAF:import_ban"}
    assert skips(mapped) == [(1, "sanctioned_state", "EU")]
    assert normalise(mapped) == []


def test_former_states_resolve(tmp_path):
    path = write_gsdb(tmp_path / "f.csv", [
        ["1", "Yugoslavia", "USSR", "1960", "2013", "0", "", "0", "0", "1", "0", "0"],
        ["2", "Czechoslovakia", "United States", "1960", "2013", "0", "", "0", "0", "1", "0", "0"],
    ])
    mapped = map_file(path)
    assert ids(mapped) == {"gsdb:1:SUN:YUG:financial", "gsdb:2:USA:CSK:financial"}
    assert normalise(mapped) == []


def test_trade_items_give_export_and_import_bans(tmp_path):
    path = write_gsdb(tmp_path / "t.csv", [
        ["1", "Iran", "United States", "2010", "2022", "1", "exp_part, imp_compl", "1", "0", "0", "0", "0"],
        ["2", "Iran", "Canada", "2010", "2022", "1", "exp_compl", "0", "0", "0", "0", "0"],
        ["3", "Iran", "Japan", "2010", "2022", "1", "imp_part", "0", "0", "0", "0", "0"],
        ["4", "Iran", "Norway", "2010", "2022", "1", "exp_part,exp_compl", "0", "0", "0", "0", "0"],
    ])
    mapped = map_file(path)
    assert ids(mapped) == {
        "gsdb:1:USA:IRN:export_ban", "gsdb:1:USA:IRN:import_ban", "gsdb:1:USA:IRN:export_ban:arms",
        "gsdb:2:CAN:IRN:export_ban", "gsdb:3:JPN:IRN:import_ban", "gsdb:4:NOR:IRN:export_ban",
    }
    descriptions = dict(zip(mapped.rows["measure_id"], mapped.rows["description"], strict=True))
    assert "partial export ban (exp_part)" in descriptions["gsdb:1:USA:IRN:export_ban"]
    assert "complete import ban (imp_compl)" in descriptions["gsdb:1:USA:IRN:import_ban"]
    assert "arms embargo" in descriptions["gsdb:1:USA:IRN:export_ban:arms"]
    # two export items of one case make one measure, described with both
    assert "complete export ban (exp_compl); partial export ban (exp_part)" in descriptions["gsdb:4:NOR:IRN:export_ban"]
    assert mapped.skipped.height == 0


def test_flag_measure_types_and_sectors(tmp_path):
    path = write_gsdb(tmp_path / "m.csv", [
        ["5", "Syria", "EU", "2011", "2022", "0", "", "1", "1", "1", "1", "1"],
    ])
    rows = {r["measure_id"]: (r["measure_type"], r["sector"]) for r in map_file(path).rows.to_dicts()}
    assert rows == {
        "gsdb:5:EUU:SYR:export_ban:arms": ("export_ban", "arms"),
        "gsdb:5:EUU:SYR:other:military": ("other", "military"),
        "gsdb:5:EUU:SYR:financial": ("financial", None),
        "gsdb:5:EUU:SYR:travel_ban": ("travel_ban", None),
        "gsdb:5:EUU:SYR:other": ("other", None),
    }


def test_status_follows_the_files_last_year_and_dates_are_first_of_january(tmp_path):
    path = write_gsdb(tmp_path / "s.csv", [
        ["1", "Mali", "EU", "2012", "2019", "0", "", "0", "0", "1", "0", "0"],
        ["2", "Mali", "United States", "2012", "2021", "0", "", "0", "0", "1", "0", "0"],
    ])
    rows = {r["measure_id"]: r for r in map_file(path).rows.to_dicts()}
    assert rows["gsdb:1:EUU:MLI:financial"]["status"] == "lifted"
    assert rows["gsdb:2:USA:MLI:financial"]["status"] == "in_force"  # 2021 is this file's last year
    assert {r["announced_on"] for r in rows.values()} == {"2012-01-01"}
    assert "ended in 2019" in rows["gsdb:1:EUU:MLI:financial"]["description"]


def test_unreadable_trade_and_flags_are_reported(tmp_path):
    path = write_gsdb(tmp_path / "x.csv", [
        ["1", "Cuba", "United States", "1960", "2022", "1", "exp_compl, embargo", "0", "0", "2", "0", "0"],
        ["2", "Cuba", "Canada", "1990", "2022", "1", "", "0", "0", "0", "1", "0"],
        ["3", "Cuba", "Japan", "1990", "2022", "0", "", "0", "0", "0", "0", "0"],
    ], bom=False)
    mapped = map_file(path)
    assert ids(mapped) == {"gsdb:1:USA:CUB:export_ban", "gsdb:2:CAN:CUB:travel_ban"}
    reasons = {(r["row"], r["column"]): r["reason"] for r in mapped.skipped.to_dicts()}
    assert reasons == {
        (1, "descr_trade"): "trade item 'embargo' is neither exp_* (export ban) nor imp_* (import ban)",
        (1, "financial"): "financial is not 0 or 1: its measure is not loaded",
        (2, "descr_trade"): "trade is 1 but descr_trade names no exp_* or imp_* item: export or import ban unknown",
        (3, "trade"): "the case flags no measure (trade, arms, military, financial, travel and other are not 1)",
    }


def test_bad_rows_are_skipped_whole(tmp_path):
    path = write_gsdb(tmp_path / "r.csv", [
        ["1", "Cuba", "United States", "1960", "2022", "0", "", "0", "0", "1", "0", "0"],
        ["1", "Cuba", "Canada", "1990", "2022", "0", "", "0", "0", "1", "0", "0"],
        ["2", "Cuba", "Japan", "199x", "2022", "0", "", "0", "0", "1", "0", "0"],
        ["3", "Cuba", "Norway", "2000", "", "0", "", "0", "0", "1", "0", "0"],
        ["4", "Cuba", "Sweden", "2005", "2001", "0", "", "0", "0", "1", "0", "0"],
        ["", "Cuba", "Sweden", "2005", "2022", "0", "", "0", "0", "1", "0", "0"],
    ])
    mapped = map_file(path)
    assert ids(mapped) == {"gsdb:1:USA:CUB:financial"}
    reasons = {(r["row"], r["column"]): r["reason"] for r in mapped.skipped.to_dicts()}
    assert reasons == {
        (2, "case_id"): "case_id repeats row 1: one row per case, the later one is not loaded",
        (3, "begin"): "begin is not a year (YYYY)",
        (4, "end"): "end is not a year (YYYY)",
        (5, "end"): "the case ends (2001) before it begins (2005)",
        (6, "case_id"): "empty case_id",
    }


def test_one_sender_written_twice_gives_one_measure(tmp_path):
    path = write_gsdb(tmp_path / "d.csv", [
        ["9", "Belarus", "EU, European Union, Lithuania", "2021", "2022", "0", "", "0", "0", "1", "0", "0"],
    ])
    mapped = map_file(path)
    assert sorted(ids(mapped)) == ["gsdb:9:EUU:BLR:financial", "gsdb:9:LTU:BLR:financial"]
    assert mapped.rows.get_column("source_rows").to_list() == ["1", "1"]
