"""The ``crea-shipments`` format: CREA's daily seaborne arrivals in one importer → ``oil_imports``."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from ingestion.datasets.oil_imports import OIL_IMPORTS
from ingestion.prepare import normalise_rows
from ingestion.problems import ProblemList
from ingestion.readers import read_file
from ingestion.sources import recognise
from ingestion.sources.base import Mapped, SourceOptionError, SourceOptions
from ingestion.sources.crea_shipments import FORMAT, OTHER_SOURCE_NAME

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
REAL_FILE = REAL / "oil_imports" / "crea_shipments_to_nl.csv"
HEADER = ["date", "commodity_origin_country", "Crude oil", "Oil products and chemicals", "unit"]
FROM_TURKEY = OTHER_SOURCE_NAME.format("Türkiye")
FROM_RUSSIA = "CREA, Russia fossil tracker: seaborne arrivals from Russia"

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


def map_text(tmp_path: Path, rows: list[list[str]], importer: str | None = "NL") -> Mapped:
    """Write a small file of the format and map it for ``importer``."""
    path = tmp_path / "shipments.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return FORMAT.map(read_file(path), SourceOptions(importer=importer))


# --- the real file (importer: the Netherlands) ------------------------------------------------


@pytest.fixture(scope="module")
def mapped() -> Mapped:
    if not REAL_FILE.is_file():
        pytest.skip(f"real data not found at {REAL_FILE}")
    return FORMAT.map(read_file(REAL_FILE), SourceOptions(importer="NL"))


def monthly(origin: str, column: str) -> dict[str, Decimal]:
    """Tonnes per month of one origin and product column, summed with the csv module."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for r in raw_rows():
        if r["commodity_origin_country"] == origin:
            sums[r["date"][:7]] += Decimal(r[column])
    return dict(sums)


@needs_real
def test_crude_from_russia_march_2022(mapped: Mapped) -> None:
    row = mapped.rows.filter((pl.col("period") == "2022-03") & (pl.col("product") == "crude")).row(0, named=True)
    assert Decimal(row["volume_tonnes"]) == monthly("Russia", "Crude oil")["2022-03"]
    assert row["volume_tonnes"] == "2883220.0943790929"
    assert (row["importer"], row["origin"], row["route"], row["via_country"]) == ("NLD", "RUS", "seaborne", None)
    assert (row["value"], row["currency"]) == (None, None)
    assert row["source_name"] == FROM_RUSSIA
    march = {int(r["row"]) for r in raw_rows()
             if r["date"][:7] == "2022-03" and r["commodity_origin_country"] == "Russia"}
    assert source_row_numbers(row["source_rows"]) == march


@needs_real
def test_every_russian_month_and_product(mapped: Mapped) -> None:
    russia = mapped.rows.filter(pl.col("origin") == "RUS")
    for column, product in (("Crude oil", "crude"), ("Oil products and chemicals", "refined")):
        expected = {m: t for m, t in monthly("Russia", column).items() if t}
        got = {r["period"]: Decimal(r["volume_tonnes"]) for r in russia.filter(pl.col("product") == product).iter_rows(
            named=True)}
        assert got == expected


@needs_real
def test_arrivals_from_turkey_are_turkish_cargo_not_russian_oil(mapped: Mapped) -> None:
    # the file measures where cargo came from, not where its crude was produced: Turkish cargo is not
    # Russian oil routed via Türkiye, and nothing is loaded as via_third_country
    turkish = mapped.rows.filter(pl.col("origin") == "TUR")
    expected = {m: t for m, t in monthly("Turkey", "Oil products and chemicals").items() if t}
    assert set(expected) == {"2022-05", "2022-07", "2022-08", "2022-09", "2022-10"}
    assert {r["period"]: Decimal(r["volume_tonnes"]) for r in turkish.iter_rows(named=True)} == expected
    assert turkish.select("importer", "origin", "route", "via_country", "product", "source_name").unique().rows() == [
        ("NLD", "TUR", "seaborne", None, "refined", FROM_TURKEY)
    ]
    assert turkish.filter(pl.col("period") == "2022-05")["volume_tonnes"].item() == "61990"
    assert mapped.rows.filter(pl.col("route") == "via_third_country").height == 0


@needs_real
def test_counts_and_zero_months(mapped: Mapped) -> None:
    raw = raw_rows()
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for r in raw:
        for column in ("Crude oil", "Oil products and chemicals"):
            sums[(r["date"][:7], r["commodity_origin_country"], column)] += Decimal(r[column])
    nonzero = {k for k, v in sums.items() if v}
    assert mapped.rows.height == len(nonzero) == 27
    assert mapped.skipped.height == 0
    zero_rows = [r for r in raw if not any((r["date"][:7], r["commodity_origin_country"], c) in nonzero
                                           for c in ("Crude oil", "Oil products and chemicals"))]
    assert mapped.counts == {
        "zero_months_omitted": len(sums) - len(nonzero),
        "rows_only_in_zero_months": len(zero_rows),
        "mapped_rows_in_partly_covered_months": 2,  # November 2022: the file ends on the 11th
    }
    assert mapped.counts["zero_months_omitted"] == 17
    assert mapped.counts["rows_only_in_zero_months"] == 161
    behind = {n for text in mapped.rows["source_rows"] for n in source_row_numbers(text)}
    assert behind | {int(r["row"]) for r in zero_rows} == set(range(1, 631))
    assert behind.isdisjoint(int(r["row"]) for r in zero_rows)


@needs_real
def test_no_row_has_the_importer_as_origin() -> None:
    # the origins are Russia and Turkey only, so nothing is skipped as domestic cargo for NL
    assert {r["commodity_origin_country"] for r in raw_rows()} == {"Russia", "Turkey"}


@needs_real
def test_every_mapped_row_normalises(mapped: Mapped) -> None:
    problems = ProblemList(REAL_FILE.name)
    _, typed = normalise_rows(mapped.rows, OIL_IMPORTS, problems)
    assert problems.to_list() == []
    assert typed.height == 27
    assert typed["via_country"].null_count() == 27
    assert set(typed["origin"]) == {"RUS", "TUR"}


@needs_real
@pytest.mark.parametrize("importer", ["Netherlands", "the Netherlands", "NLD", " nl "])
def test_importer_written_any_known_way(mapped: Mapped, importer: str) -> None:
    other = FORMAT.map(read_file(REAL_FILE), SourceOptions(importer=importer))
    assert other.rows.equals(mapped.rows)


@needs_real
def test_importer_turkey_skips_its_own_cargo() -> None:
    m = FORMAT.map(read_file(REAL_FILE), SourceOptions(importer="Türkiye"))
    assert m.skipped.height == 315
    assert m.skipped.select("column", "value", "reason").unique().rows() == [
        ("commodity_origin_country", "Turkey", "origin is the importer itself (TUR): domestic cargo, not an import")
    ]
    assert m.rows.height == 22
    assert set(m.rows["route"]) == {"seaborne"}


@needs_real
def test_the_format_is_recognised_from_the_real_header() -> None:
    assert recognise(read_file(REAL_FILE).columns) is FORMAT


# --- the importer option ----------------------------------------------------------------------


@pytest.mark.parametrize("importer", [None, "", "  "])
def test_importer_is_required(tmp_path: Path, importer: str | None) -> None:
    with pytest.raises(SourceOptionError, match="pass it with --importer COUNTRY"):
        map_text(tmp_path, [["2022-01-01", "Russia", "1", "0", "tonne"]], importer)


def test_unknown_importer_suggests_names(tmp_path: Path) -> None:
    with pytest.raises(SourceOptionError, match=r"'Nethrlands' is not a known country or bloc .*'Netherlands'"):
        map_text(tmp_path, [["2022-01-01", "Russia", "1", "0", "tonne"]], "Nethrlands")


def test_region_is_not_an_importer(tmp_path: Path) -> None:
    with pytest.raises(SourceOptionError, match="'Baltic states' is a region; the importer must be a country or bloc"):
        map_text(tmp_path, [["2022-01-01", "Russia", "1", "0", "tonne"]], "Baltic states")


def test_format_declaration() -> None:
    assert FORMAT.name == "crea-shipments"
    assert FORMAT.dataset == "oil_imports"
    assert FORMAT.requires == ("importer",)
    assert FORMAT.release_key == ("importer",)
    assert FORMAT.recognises(HEADER)


# --- edge rules, on small files ---------------------------------------------------------------


def test_days_add_up_per_month_origin_and_product(tmp_path: Path) -> None:
    m = map_text(tmp_path, [
        ["2022-01-01", "Russia", "100", "0", "tonne"],
        ["2022-01-02", "Russian Federation", "50.5", "20", "tonnes"],
        ["2022-02-01", "India", "0", "7", "tonne"],
        ["2022-02-01", "Russia", "0", "0", "tonne"],
    ])
    assert m.rows.select("period", "origin", "route", "via_country", "product", "volume_tonnes", "source_rows",
                         "source_name").rows() == [
        ("2022-01", "RUS", "seaborne", None, "crude", "150.5", "1-2", FROM_RUSSIA),
        ("2022-01", "RUS", "seaborne", None, "refined", "20", "1-2", FROM_RUSSIA),
        ("2022-02", "IND", "seaborne", None, "refined", "7", "3", OTHER_SOURCE_NAME.format("India")),
    ]
    assert m.counts["zero_months_omitted"] == 3  # Feb Russia crude and refined, Feb India crude
    assert m.counts["rows_only_in_zero_months"] == 1  # row 4
    assert m.skipped.height == 0


def test_origin_equal_to_importer_is_reported(tmp_path: Path) -> None:
    m = map_text(tmp_path, [
        ["2022-01-01", "Netherlands", "5", "5", "tonne"],
        ["2022-01-01", "Russia", "1", "0", "tonne"],
    ])
    reason = "origin is the importer itself (NLD): domestic cargo, not an import"
    assert m.skipped.rows() == [(1, "commodity_origin_country", "Netherlands", reason)]
    assert m.rows.height == 1


def test_bloc_importer_skips_its_members_on_the_day(tmp_path: Path) -> None:
    m = map_text(tmp_path, [
        ["2022-01-01", "Netherlands", "5", "0", "tonne"],
        ["2019-06-01", "United Kingdom", "5", "0", "tonne"],  # the UK was in the EU until 2020-01-31
        ["2022-06-01", "United Kingdom", "6", "0", "tonne"],
        ["2022-06-01", "Russia", "1", "0", "tonne"],
    ], importer="EU member states")
    reason = ("origin is a member of the importer EU_MEMBER_STATES on that day: intra-bloc cargo, not an import "
              "into it")
    assert m.skipped.select("row", "reason").rows() == [(1, reason), (2, reason)]
    assert m.rows.select("period", "importer", "origin", "route", "volume_tonnes").rows() == [
        ("2022-06", "EU_MEMBER_STATES", "GBR", "seaborne", "6"),
        ("2022-06", "EU_MEMBER_STATES", "RUS", "seaborne", "1"),
    ]


def test_origins_that_are_not_countries_are_skipped(tmp_path: Path) -> None:
    m = map_text(tmp_path, [
        ["2022-01-01", "Others", "1", "0", "tonne"],
        ["2022-01-01", "EU", "1", "0", "tonne"],
        ["2022-01-01", "Baltic states", "1", "0", "tonne"],
        ["2022-01-01", "Tukey", "1", "0", "tonne"],
        ["2022-01-01", "", "1", "0", "tonne"],
    ])
    assert m.rows.height == 0
    reasons = m.skipped.select("row", "reason").rows()
    assert reasons[:3] == [
        (1, "'Others' is CREA's remainder of all other countries, not a country"),
        (2, "'EU' is an organisation; the origin must be a country"),
        (3, "'Baltic states' is a region; the origin must be a country"),
    ]
    assert reasons[3][1].startswith("'Tukey' is not a known country (did you mean 'Türkiye'")
    assert reasons[4] == (5, "no origin given")


def test_unit_and_tonnage_problems_are_skipped(tmp_path: Path) -> None:
    m = map_text(tmp_path, [
        ["2022-01-01", "Russia", "1", "0", "barrel"],
        ["2022-01-02", "Russia", "NA", "0", "tonne"],
        ["2022-01-03", "Russia", "1", "-2", "tonne"],
        ["2022-01-04", "Russia", "1", "x", "tonne"],
        ["04/01/2022", "Russia", "1", "0", "tonne"],
        ["2022-01-05", "Russia", "3", "0", "Tonne"],
    ])
    assert m.rows.select("product", "volume_tonnes", "source_rows").rows() == [("crude", "3", "6")]
    assert m.skipped.select("row", "column", "reason").rows() == [
        (1, "unit", "unit is not tonne: the figures cannot be read as tonne"),
        (2, "Crude oil", "no tonnage in 'Crude oil' (empty or NA)"),
        (3, "Oil products and chemicals",
         "tonnage in 'Oil products and chemicals' is negative; the contract's figures are >= 0"),
        (4, "Oil products and chemicals", "tonnage in 'Oil products and chemicals' is not a number"),
        (5, "date", "not a date: CREA writes YYYY-MM-DD"),
    ]
