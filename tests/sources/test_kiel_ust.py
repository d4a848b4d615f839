"""Tests of the ``kiel-ust`` format (ingestion/sources/kiel_ust.py): Kiel's data explorer release → pledges.

Figures on the real Release 29 file are computed here independently of the adapter, with the
csv and decimal modules over the raw bytes.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from ingestion.datasets import get_dataset
from ingestion.prepare import normalise_rows
from ingestion.problems import ProblemList
from ingestion.readers import read_file
from ingestion.sources import get_source, recognise
from ingestion.sources.base import Mapped, SourceOptions
from ingestion.sources.kiel_ust import (
    REASON_EMPTY,
    REASON_MONTH,
    REASON_NO_ISO,
    REASON_NUMBER,
    REASON_UNKNOWN_ISO,
    REASON_YEAR,
    SOURCE_NAME,
    whole_euros,
)

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
EXPLORER = REAL / "pledges" / "kiel_ust_data_explorer.csv"
TOTALS = REAL / "pledges" / "kiel_ust_total_allocations.csv"
CATEGORIES = ("military", "financial", "humanitarian")
BILLION = Decimal(10**9)
HEADER = "country,iso,year,month,total,financial,humanitarian,military,commitments,to_be_allocated,gdp,pct_gdp"

needs_real = pytest.mark.skipif(not EXPLORER.is_file(), reason=f"real data not found at {EXPLORER}")


def _map(path: Path) -> Mapped:
    return get_source("kiel-ust").map(read_file(path), SourceOptions())


def _raw_rows() -> list[dict[str, str]]:
    with EXPLORER.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _synthetic(tmp_path: Path, *lines: str, header: str = HEADER) -> Mapped:
    path = tmp_path / "data_explorer.csv"
    path.write_text("\n".join((header, *lines)) + "\n", encoding="utf-8")
    return _map(path)


def _normalise(frame: pl.DataFrame, dataset: str) -> tuple[pl.DataFrame, list]:
    problems = ProblemList(file="data_explorer.csv")
    _, typed = normalise_rows(frame, get_dataset(dataset), problems)
    return typed, problems.to_list()


@pytest.fixture(scope="module")
def real() -> Mapped:
    if not EXPLORER.is_file():
        pytest.skip(f"real data not found at {EXPLORER}")
    return _map(EXPLORER)


# --- the real Release 29 file -------------------------------------------------------------


@needs_real
def test_real_file_is_recognised() -> None:
    fmt = recognise(read_file(EXPLORER).columns)
    assert fmt is not None and fmt.name == "kiel-ust" and fmt.dataset == "pledges"


@needs_real
def test_real_counts_of_pledges_zero_cells_and_skips(real: Mapped) -> None:
    raw = _raw_rows()
    cells = [Decimal(r[c]) for r in raw for c in CATEGORIES]
    assert len(raw) == 1079
    assert real.rows.height == sum(v != 0 for v in cells) == 1450
    assert real.counts == {"zero_values_not_loaded": sum(v == 0 for v in cells), "negative_values": 0}
    assert real.counts["zero_values_not_loaded"] == 1787
    assert real.skipped.height == 0
    assert real.side["pledge_commitments"].height == 1079


@needs_real
def test_real_germany_military_total(real: Mapped) -> None:
    expected = sum(Decimal(r["military"]) for r in _raw_rows() if r["iso"] == "DEU") * BILLION
    got = real.rows.filter((pl.col("donor") == "DEU") & (pl.col("category") == "military"))["amount"]
    assert sum(Decimal(a) for a in got) == expected
    assert expected > Decimal("10e9")  # Germany's military allocations are above EUR 10 bn


@needs_real
def test_real_monthly_totals_match_kiels_total_allocations(real: Mapped) -> None:
    if not TOTALS.is_file():
        pytest.skip(f"real data not found at {TOTALS}")
    mapped: defaultdict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for month, category, amount in real.rows.select("announced_on", "category", "amount").iter_rows():
        mapped[(month[:7], category)] += Decimal(amount)
    with TOTALS.open(newline="", encoding="utf-8") as fh:
        totals = list(csv.DictReader(fh))
    expected = {
        (f"{int(r['year']):04d}-{int(r['month']):02d}", c): Decimal(r[c]) * BILLION
        for r in totals for c in CATEGORIES if Decimal(r[c]) != 0
    }
    assert len(totals) == 52
    assert dict(mapped) == expected


@needs_real
def test_real_to_be_allocated_and_commitments_of_a_donor(real: Mapped) -> None:
    raw = [r for r in _raw_rows() if r["iso"] == "USA"]
    side = real.side["pledge_commitments"].filter(pl.col("donor") == "USA")
    assert side.height == len(raw) == 35
    for column in ("to_be_allocated", "commitments"):
        assert sum(Decimal(v) for v in side[column]) == sum(Decimal(r[column]) for r in raw) * BILLION
    negatives = sum(Decimal(r["to_be_allocated"]) < 0 for r in _raw_rows())
    assert negatives == 406
    assert side["to_be_allocated"].str.starts_with("-").sum() == sum(Decimal(r["to_be_allocated"]) < 0 for r in raw)


@needs_real
def test_real_eu_institutions_are_the_eu_bloc(real: Mapped) -> None:
    eu_rows = [r for r in _raw_rows() if r["iso"] == "EU"]
    assert {r["country"] for r in eu_rows} == {"EU (Commission and Council)"}
    eu = real.rows.filter(pl.col("pledge_id").str.starts_with("kiel-ust:EU:"))
    assert set(eu["donor"]) == {"EUU"}
    assert eu.height == sum(Decimal(r[c]) != 0 for r in eu_rows for c in CATEGORIES)
    typed, problems = _normalise(eu, "pledges")
    assert problems == []
    assert set(typed["donor"]) == {"EUU"}


@needs_real
def test_real_rows_normalise_without_problems(real: Mapped) -> None:
    typed, problems = _normalise(real.rows, "pledges")
    assert problems == []
    assert typed.height == 1450
    assert typed["pledge_id"].n_unique() == 1450
    assert set(typed["status"]) == {"allocated"} and set(typed["recipient"]) == {"UKR"}
    assert set(typed["source_name"]) == {SOURCE_NAME}
    raw_total = sum(Decimal(r[c]) for r in _raw_rows() for c in CATEGORIES) * BILLION
    assert typed["amount_eur"].sum() == pytest.approx(float(raw_total), rel=1e-12)
    side, side_problems = _normalise(real.side["pledge_commitments"], "pledge_commitments")
    assert side_problems == []
    assert side.height == 1079


@needs_real
def test_real_first_row(real: Mapped) -> None:
    # "Australia","AUS",2022,2,0.002645,0,0,0.002645,0.002645,0,...
    first = real.rows.row(0, named=True)
    assert first == {
        "pledge_id": "kiel-ust:AUS:2022-02:military", "announced_on": "2022-02-01", "donor": "AUS",
        "recipient": "UKR", "category": "military", "amount": "2645000", "currency": "EUR",
        "status": "allocated", "source_name": SOURCE_NAME, "__row": 1, "source_rows": "1",
        "date_precision": "month", "is_partial": "false",
    }
    side = real.side["pledge_commitments"].row(1, named=True)  # row 2: commitments 0.142912, tba 0.000001
    assert (side["donor"], side["period"], side["commitments"], side["to_be_allocated"]) == (
        "AUS", "2022-03", "142912000", "1000")


# --- synthetic edge cases ------------------------------------------------------------------


def test_zero_cells_give_no_pledge_and_are_counted(tmp_path: Path) -> None:
    mapped = _synthetic(tmp_path, '"Germany","DEU",2023,5,1.5,0,0.5,1,2,-0.25,4000,0.1')
    assert mapped.rows.select("pledge_id", "amount").rows() == [
        ("kiel-ust:DEU:2023-05:military", "1000000000"), ("kiel-ust:DEU:2023-05:humanitarian", "500000000"),
    ]
    assert mapped.counts["zero_values_not_loaded"] == 1
    assert mapped.skipped.height == 0
    assert mapped.side["pledge_commitments"].select("period", "commitments", "to_be_allocated").rows() == [
        ("2023-05", "2000000000", "-250000000"),
    ]


def test_eu_row_resolves_to_the_eu_bloc(tmp_path: Path) -> None:
    mapped = _synthetic(tmp_path, '"EU (Commission and Council)","EU",2024,12,3,3,0,0,3,0,17000,0.02')
    assert mapped.rows.select("pledge_id", "donor").rows() == [("kiel-ust:EU:2024-12:financial", "EUU")]
    assert mapped.side["pledge_commitments"]["donor"].to_list() == ["EUU"]


def test_amounts_are_exact_decimal_text(tmp_path: Path) -> None:
    mapped = _synthetic(tmp_path, '"Norway","NOR",2022,3,0.3,0.1,0.2,1e-06,0.3,0,400,0.1')
    assert dict(mapped.rows.select("category", "amount").rows()) == {
        "military": "1000", "financial": "100000000", "humanitarian": "200000000",
    }
    values = pl.Series("x", ["0.002645", "6.653764", "-0.000001", "1.5E+2", " 2 ", "0.0000000004", "NA", "", None])
    got = pl.DataFrame([values]).select(whole_euros(pl.col("x")).alias("euros"))["euros"].to_list()
    assert got == ["2645000", "6653764000", "-1000", "150000000000", "2000000000", "0", None, None, None]


def test_negative_category_value_is_passed_on_and_counted(tmp_path: Path) -> None:
    mapped = _synthetic(tmp_path, '"Poland","POL",2022,4,-0.1,0,0,-0.1,0,0,600,0')
    assert mapped.rows.select("category", "amount").rows() == [("military", "-100000000")]
    assert mapped.counts["negative_values"] == 1
    assert mapped.skipped.height == 0


def test_unknown_or_missing_iso_and_bad_dates_are_skipped(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        '"Atlantis","XAT",2022,4,1,1,0,0,1,0,1,1',
        '"Nowhere","",2022,4,1,1,0,0,1,0,1,1',
        '"France","FRA",22,4,1,1,0,0,1,0,1,1',
        '"France","FRA",2022,13,1,1,0,0,1,0,1,1',
        '"France","FRA",2022,Mar,1,1,0,0,1,0,1,1',
        '"Spain","ESP",2022,4,1,1,0,0,1,0,1,1',
    )
    assert mapped.skipped.rows() == [
        (1, "iso", "XAT", REASON_UNKNOWN_ISO),
        (2, "iso", "", REASON_NO_ISO),  # a quoted empty field is read as ""
        (3, "year", "22", REASON_YEAR),
        (4, "month", "13", REASON_MONTH),
        (5, "month", "Mar", REASON_MONTH),
    ]
    assert mapped.rows["pledge_id"].to_list() == ["kiel-ust:ESP:2022-04:financial"]
    assert mapped.side["pledge_commitments"]["__row"].to_list() == [6]


def test_duplicate_donor_month_rows_are_all_skipped(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        '"Italy","ITA",2023,1,1,1,0,0,1,0,1,1',
        '"Italy","ITA",2023,2,1,1,0,0,1,0,1,1',
        '"Italy","ITA",2023,01,2,2,0,0,2,0,1,1',
    )
    reason = "donor ITA and month 2023-01 appear on rows 1;3; Kiel gives one row per donor and month"
    assert mapped.skipped.rows() == [(1, "iso", "ITA", reason), (3, "iso", "ITA", reason)]
    assert mapped.rows["pledge_id"].to_list() == ["kiel-ust:ITA:2023-02:financial"]


def test_unreadable_values_skip_only_their_cell(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        '"Japan","JPN",2023,6,1,NA,,1,abc,0,1,1',
        '"Japan","JPN",2023,7,1,1,0,0,1,,1,1',
    )
    assert mapped.skipped.rows() == [
        (1, "commitments", "abc", REASON_NUMBER),
        (1, "financial", "NA", REASON_NUMBER),
        (1, "humanitarian", None, REASON_EMPTY),
        (2, "to_be_allocated", None, REASON_EMPTY),
    ]
    assert mapped.rows["pledge_id"].to_list() == ["kiel-ust:JPN:2023-06:military", "kiel-ust:JPN:2023-07:financial"]
    assert mapped.side["pledge_commitments"].height == 0


def test_header_is_matched_trimmed_and_case_insensitively(tmp_path: Path) -> None:
    header = "Country, ISO ,Year,Month,Total,Financial,Humanitarian,Military,Commitments,To_Be_Allocated"
    mapped = _synthetic(tmp_path, '"Canada","CAN",2024,2,0.5,0,0,0.5,0.5,0', header=header)
    assert mapped.rows.select("pledge_id", "amount").rows() == [("kiel-ust:CAN:2024-02:military", "500000000")]


def test_synthetic_rows_normalise_and_negative_amount_is_the_only_problem(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        '"Sweden","SWE",2024,3,0.2,0.1,0.1,0,0.2,0.05,500,0.04',
        '"Poland","POL",2024,3,-0.1,0,0,-0.1,0,0,600,0',
    )
    typed, problems = _normalise(mapped.rows, "pledges")
    assert problems == []  # amount >= 0 is checked by the validation suite, which rejects the Polish row
    assert typed.filter(pl.col("donor") == "POL")["amount"].to_list() == [-100_000_000.0]
    counts = Counter(typed["donor"])
    assert counts == {"SWE": 2, "POL": 1}
