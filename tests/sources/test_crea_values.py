"""The ``crea-values`` format: CREA's daily EUR value of Russian fossil-fuel exports → ``oil_imports``."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from ingestion.datasets.oil_imports import OIL_IMPORTS
from ingestion.prepare import normalise_rows
from ingestion.problems import ProblemList
from ingestion.readers import UnreadableFile, read_file
from ingestion.sources import recognise
from ingestion.sources.base import Mapped, SourceOptions
from ingestion.sources.crea_values import FORMAT

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
REAL_FILE = REAL / "oil_imports" / "crea_price_cap_ts.csv"
SCENARIOS = [
    "Pricecap: 2021H1 - EU imports + EU/GB/NO ships",
    "Pricecap: 2021H1 - EU imports only",
    "Pricecap: SRMC - EU imports + EU/GB/NO ships",
    "Pricecap: SRMC - EU imports only",
]
HEADER = ["date", "destination_region", "commodity_group", *SCENARIOS, "Without price cap", "unit"]

needs_real = pytest.mark.skipif(not REAL_FILE.is_file(), reason=f"real data not found at {REAL_FILE}")


def raw_rows() -> list[dict[str, str]]:
    """The real file read with the csv module (row numbers 1-based, header not counted)."""
    with REAL_FILE.open(newline="", encoding="utf-8") as fh:
        return [dict(r, row=str(i)) for i, r in enumerate(csv.DictReader(fh), start=1)]


def source_row_numbers(text: str) -> set[int]:
    """Row numbers of a ``source_rows`` value (``7``, ``7-9`` or ``7;12;40``)."""
    numbers: set[int] = set()
    for part in text.split(";"):
        first, _, last = part.partition("-")
        numbers.update(range(int(first), int(last or first) + 1))
    return numbers


def map_text(tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Mapped:
    """Write a small file of the format and map it."""
    path = tmp_path / "price_cap_ts.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return FORMAT.map(read_file(path), SourceOptions())


def day(date: str, destination: str, commodity: str, value: str, unit: str = "EUR",
        scenario: str = "1") -> list[str]:
    """One publisher row, every scenario column holding ``scenario``."""
    return [date, destination, commodity, *[scenario] * len(SCENARIOS), value, unit]


# --- the real file ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mapped() -> Mapped:
    if not REAL_FILE.is_file():
        pytest.skip(f"real data not found at {REAL_FILE}")
    return FORMAT.map(read_file(REAL_FILE), SourceOptions())


def one(mapped: Mapped, period: str, importer: str, product: str) -> dict:
    found = mapped.rows.filter(
        (pl.col("period") == period) & (pl.col("importer") == importer) & (pl.col("product") == product)
    )
    assert found.height == 1, (period, importer, product)
    return found.row(0, named=True)


@needs_real
@pytest.mark.parametrize(
    ("month", "destination", "commodity", "importer"),
    [("2022-03", "EU", "oil", "EU_MEMBER_STATES"), ("2022-06", "Turkey", "gas", "TUR"),
     ("2021-12", "China", "coal", "CHN"), ("2022-05", "Others", "oil", "OTHERS_CREA")],
)
def test_month_value_is_the_sum_of_the_days(mapped: Mapped, month: str, destination: str, commodity: str,
                                            importer: str) -> None:
    days = [r for r in raw_rows() if r["date"][:7] == month and r["destination_region"] == destination
            and r["commodity_group"] == commodity]
    expected = sum(Decimal(r["Without price cap"]) for r in days)
    row = one(mapped, month, importer, commodity)
    assert Decimal(row["value"]) == expected
    assert row["currency"] == "EUR"
    assert row["volume_tonnes"] is None
    assert (row["origin"], row["route"], row["via_country"]) == ("RUS", "unspecified", None)
    assert row["source_name"] == "CREA, Russia fossil tracker: value of exports by destination (Without price cap)"
    assert source_row_numbers(row["source_rows"]) == {int(r["row"]) for r in days}
    assert row["__row"] == min(int(r["row"]) for r in days)


@needs_real
def test_eu_oil_march_2022_figure(mapped: Mapped) -> None:
    # the sum of the 31 daily EU oil rows of March 2022, exact (checked by hand with the csv module)
    assert one(mapped, "2022-03", "EU_MEMBER_STATES", "oil")["value"] == "8772163714.98251122"


@needs_real
def test_rows_and_skips(mapped: Mapped) -> None:
    # every destination loads, CREA's 'Others' as its own aggregate, so totals reconcile with CREA's
    raw = raw_rows()
    groups = {(r["date"][:7], r["destination_region"], r["commodity_group"]) for r in raw}
    assert mapped.rows.height == len(groups) == 217
    assert set(mapped.rows["importer"]) == {"CHN", "EU_MEMBER_STATES", "GBR", "IND", "KOR", "TUR", "USA",
                                            "OTHERS_CREA"}
    assert set(mapped.rows["product"]) == {"oil", "gas", "coal"}
    assert mapped.skipped.height == 0
    total = sum(Decimal(r["Without price cap"]) for r in raw)
    assert sum(Decimal(v) for v in mapped.rows["value"]) == total


@needs_real
def test_every_publisher_row_is_mapped_or_skipped_once(mapped: Mapped) -> None:
    behind = [n for text in mapped.rows["source_rows"] for n in source_row_numbers(text)]
    assert len(behind) == len(set(behind))
    assert set(behind).isdisjoint(mapped.skipped["row"])
    assert set(behind) | set(mapped.skipped["row"]) == set(range(1, 4049))  # record numbers: read_file


@needs_real
def test_monthly_totals_match_an_independent_duckdb_query(mapped: Mapped) -> None:
    import duckdb

    totals = duckdb.sql(
        f"""select strftime(date::date, '%Y-%m') as period, destination_region, commodity_group,
                   sum("Without price cap"::decimal(38, 16)) as total
            from read_csv('{REAL_FILE}', all_varchar = true, header = true)
            group by all"""
    ).fetchall()
    names = {"EU": "EU_MEMBER_STATES", "Others": "OTHERS_CREA", "China": "CHN", "Turkey": "TUR", "India": "IND",
             "South Korea": "KOR", "United Kingdom": "GBR", "United States": "USA"}
    expected = {(p, names[d], c): t for p, d, c, t in totals}
    got = {(r["period"], r["importer"], r["product"]): Decimal(r["value"]) for r in mapped.rows.iter_rows(named=True)}
    assert got == expected


@needs_real
def test_every_mapped_row_normalises(mapped: Mapped) -> None:
    problems = ProblemList(REAL_FILE.name)
    _, typed = normalise_rows(mapped.rows, OIL_IMPORTS, problems)
    assert problems.to_list() == []
    assert typed.height == 217
    assert typed.filter(pl.col("value_eur") != pl.col("value")).height == 0
    assert typed["value_usd"].null_count() == 0


@needs_real
def test_the_format_is_recognised_from_the_real_header() -> None:
    header = read_file(REAL_FILE).columns
    assert recognise(header) is FORMAT


# --- edge rules, on small files ---------------------------------------------------------------


def test_days_add_up_and_scenarios_are_ignored(tmp_path: Path) -> None:
    m = map_text(tmp_path, [
        day("2022-04-01", "India", "oil", "100.25", scenario="999"),
        day("2022-04-30", "India", "oil", "0.75", scenario="5"),
        day("2022-05-01", "India", "oil", "1e-05"),
    ])
    assert m.rows.select("period", "importer", "product", "value", "source_rows").rows() == [
        ("2022-04", "IND", "oil", "101", "1-2"),
        ("2022-05", "IND", "oil", "0.00001", "3"),
    ]
    assert m.skipped.height == 0


def test_large_sums_stay_plain_decimals(tmp_path: Path) -> None:
    m = map_text(tmp_path, [day("2022-04-01", "EU", "gas", "9.5e15"), day("2022-04-02", "EU", "gas", "9.5e15")])
    assert m.rows["value"].to_list() == ["19000000000000000"]


def test_zero_month_is_kept(tmp_path: Path) -> None:
    m = map_text(tmp_path, [day("2022-09-01", "EU", "coal", "0"), day("2022-09-02", "EU", "coal", "0")])
    assert m.rows["value"].to_list() == ["0"]


def test_unit_other_than_eur_is_skipped(tmp_path: Path) -> None:
    m = map_text(tmp_path, [day("2022-04-01", "India", "oil", "10"), day("2022-04-02", "India", "oil", "10", "USD")])
    assert m.rows["value"].to_list() == ["10"]
    assert m.skipped.rows() == [(2, "unit", "USD", "unit is not EUR: the figures cannot be read as EUR")]


def test_unknown_commodity_group_is_skipped_not_guessed(tmp_path: Path) -> None:
    m = map_text(tmp_path, [day("2022-04-01", "India", "lng", "10"), day("2022-04-01", "India", " Oil ", "10")])
    assert m.rows.select("product", "value").rows() == [("oil", "10")]
    assert m.skipped.rows() == [
        (1, "commodity_group", "lng", "unknown commodity group: the format maps only oil, gas, coal")
    ]


def test_destinations_that_are_not_countries_or_blocs(tmp_path: Path) -> None:
    m = map_text(tmp_path, [
        day("2022-04-01", "Rest of world", "oil", "1"),
        day("2022-04-01", "Baltic states", "oil", "1"),
        day("2022-04-01", "Chinna", "oil", "1"),
        day("2022-04-01", "United Nations", "oil", "1"),
        day("2022-04-01", "Türkiye", "oil", "1"),
        day("2022-04-02", "Turkey", "oil", "2"),
    ])
    assert m.rows.select("importer", "value", "source_rows").rows() == [("TUR", "3", "5-6")]
    reasons = dict(zip(m.skipped["value"], m.skipped["reason"], strict=True))
    assert reasons.pop("Chinna").startswith("'Chinna' is not a known country, bloc or aggregate (did you mean 'China'")
    assert reasons.pop("Rest of world").startswith("'Rest of world' is not a known country, bloc or aggregate")
    assert reasons == {
        "Baltic states": "'Baltic states' is a region; the importer must be a country, bloc or aggregate",
        "United Nations": "'United Nations' is an organisation; the importer must be a country, bloc or aggregate",
    }
    assert set(m.skipped["column"]) == {"destination_region"}


def test_crea_eu_is_the_member_states_and_others_its_own_aggregate(tmp_path: Path) -> None:
    m = map_text(tmp_path, [day("2022-04-01", "EU", "oil", "5"), day("2022-04-01", "Others", "oil", "7")])
    assert sorted(m.rows.select("importer", "value").rows()) == [("EU_MEMBER_STATES", "5"), ("OTHERS_CREA", "7")]
    assert m.skipped.height == 0


def test_bad_values_and_dates_are_skipped(tmp_path: Path) -> None:
    m = map_text(tmp_path, [
        day("2022-04-01", "India", "oil", "NA"),
        day("2022-04-01", "India", "gas", ""),
        day("2022-04-01", "India", "coal", "lots"),
        day("2022-04-02", "India", "coal", "-5"),
        day("April 2022", "India", "coal", "5"),
        day("2022-04-03", "India", "coal", "5"),
    ])
    assert m.rows.select("product", "value").rows() == [("coal", "5")]
    assert m.skipped.select("row", "column", "reason").rows() == [
        (1, "Without price cap", "no value in 'Without price cap' (empty or NA)"),
        (2, "Without price cap", "no value in 'Without price cap' (empty or NA)"),
        (3, "Without price cap", "value in 'Without price cap' is not a number"),
        (4, "Without price cap", "value in 'Without price cap' is negative; the contract's figures are >= 0"),
        (5, "date", "not a date: CREA writes YYYY-MM-DD"),
    ]


def test_header_matched_ignoring_case_and_spaces(tmp_path: Path) -> None:
    header = ["Date", " destination_region", "COMMODITY_GROUP", "without price cap", "Unit"]
    m = map_text(tmp_path, [["2022-04-01", "India", "oil", "7", "EUR"]], header)
    assert m.rows["value"].to_list() == ["7"]


def test_missing_column_rejects_the_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="'Without price cap'"):
        map_text(tmp_path, [["2022-04-01", "India", "oil", "EUR"]], ["date", "destination_region", "commodity_group",
                                                                      "unit"])


def test_format_declaration() -> None:
    assert FORMAT.name == "crea-values"
    assert FORMAT.dataset == "oil_imports"
    assert FORMAT.publisher == "CREA (Centre for Research on Energy and Clean Air)"
    assert FORMAT.requires == ()
    assert FORMAT.recognises(HEADER)
    assert not FORMAT.recognises(["date", "commodity_origin_country", "Crude oil", "Oil products and chemicals",
                                  "unit"])


def test_contract_columns_only(tmp_path: Path) -> None:
    m = map_text(tmp_path, [day("2022-04-01", "India", "oil", "1")])
    contract = {c.name for c in OIL_IMPORTS.columns}
    assert set(m.rows.columns) == contract | {"__row", "source_rows"}
    assert all(dtype == pl.String for name, dtype in m.rows.schema.items() if name != "__row")
    assert m.rows.schema["__row"] == pl.Int64
