"""Tests of the ``us-foreign-assistance`` format (ingestion/sources/us_foreign_assistance.py) → aid_changes.

Figures on the real ForeignAssistance.gov file are computed here independently of the adapter,
with the csv and decimal modules over the raw file and plain Python dictionaries.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from ingestion.datasets import get_dataset
from ingestion.prepare import normalise_rows
from ingestion.problems import ProblemList
from ingestion.readers import UnreadableFile, read_file
from ingestion.sources import get_source, recognise
from ingestion.sources.base import Mapped, SourceOptions
from ingestion.sources.us_foreign_assistance import (
    PROGRAMME,
    REASON_AMOUNT,
    REASON_NO_AMOUNT,
    REASON_NO_TYPE,
    REASON_TQ,
    REASON_YEAR,
    ROWS_WITHOUT_CHANGE,
    UNKNOWN_CHANGES,
)

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
COUNTRY_FILE = REAL / "aid_changes" / "us_foreign_aid_country.csv"
HEADER = (
    '"Country Code","Country Name","Region ID","Region Name","Income Group Acronym","Income Group Name",'
    '"Transaction Type ID","Transaction Type Name","Fiscal Year","current_amount","constant_amount"'
)
#: ForeignAssistance.gov codes that are not the warehouse code of the recipient (checked by hand).
SOURCE_CODE_TO_CODE = {"CS-KM": "XKX", "YUF": "YUG"}
#: Recipients of the real file that are no country the warehouse knows (see the module's NOT_COUNTRIES).
NOT_COUNTRIES = {"SDF", "TIB", "PIT"}

needs_real = pytest.mark.skipif(not COUNTRY_FILE.is_file(), reason=f"real data not found at {COUNTRY_FILE}")


def _map(path: Path) -> Mapped:
    return get_source("us-foreign-assistance").map(read_file(path), SourceOptions())


def _raw_rows() -> list[dict[str, str]]:
    with COUNTRY_FILE.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _normalise(frame: pl.DataFrame) -> tuple[pl.DataFrame, list]:
    problems = ProblemList(file="us_foreign_aid_country.csv")
    _, typed = normalise_rows(frame, get_dataset("aid_changes"), problems)
    return typed, problems.to_list()


def _line(code: str, name: str, year: str, amount: str, kind: str = "Obligations") -> str:
    type_id = {"Obligations": "2", "Disbursements": "3"}.get(kind, "1")
    return f'{code},"{name}",2,Europe and Eurasia,LMIC,Lower Middle Income Country,{type_id},{kind},{year},{amount},0'


def _synthetic(tmp_path: Path, *lines: str, header: str = HEADER) -> Mapped:
    path = tmp_path / "us_foreign_aid_country.csv"
    path.write_text("\n".join((header, *lines)) + "\n", encoding="utf-8")
    return _map(path)


def _by_year(mapped: Mapped, recipient: str) -> dict[int, tuple[str, str]]:
    rows = mapped.rows.filter(pl.col("recipient") == recipient)
    return {int(y): (c, a) for y, c, a in rows.select("fiscal_year", "change", "amount_change").iter_rows()}


@pytest.fixture(scope="module")
def real() -> Mapped:
    if not COUNTRY_FILE.is_file():
        pytest.skip(f"real data not found at {COUNTRY_FILE}")
    return _map(COUNTRY_FILE)


# --- independent expectation over the real file -------------------------------------------------


def _is_skipped_recipient(code: str, name: str) -> bool:
    aggregate = re.search(r"(?i)\bregion$", name) is not None or name == "World" or code == "WLD"
    return aggregate or code == "NULL" or code in NOT_COUNTRIES


def _expected_changes(rows: list[dict[str, str]]) -> dict[tuple[str, int], tuple[str, Decimal]]:
    """Every change the spec asks for, computed with plain dictionaries (recipient code, year → change, amount)."""
    totals: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    years = [int(r["Fiscal Year"]) for r in rows if r["Transaction Type Name"] == "Obligations"
             and r["Fiscal Year"].isdigit()]
    first, last = min(years), max(years)
    for r in rows:
        if r["Transaction Type Name"] != "Obligations" or not r["Fiscal Year"].isdigit():
            continue
        if _is_skipped_recipient(r["Country Code"], r["Country Name"]):
            continue
        code = SOURCE_CODE_TO_CODE.get(r["Country Code"], r["Country Code"])
        totals[code][int(r["Fiscal Year"])] += Decimal(r["current_amount"])
    expected: dict[tuple[str, int], tuple[str, Decimal]] = {}
    for code, by_year in totals.items():
        for year in range(min(by_year), last + 1):
            if year == first:
                continue  # the year before the file's first is unknown
            now, before = by_year.get(year, Decimal(0)), by_year.get(year - 1, Decimal(0))
            if now == before:
                continue
            if before <= 0 < now:
                kind = "new"
            elif now <= 0 < before:
                kind = "termination"
            else:
                kind = "increase" if now > before else "decrease"
            expected[(code, year)] = (kind, now - before)
    return expected


# --- the real file --------------------------------------------------------------------------------


@needs_real
def test_real_file_is_recognised() -> None:
    fmt = recognise(read_file(COUNTRY_FILE).columns)
    assert fmt is not None and fmt.name == "us-foreign-assistance" and fmt.dataset == "aid_changes"
    assert fmt.publisher == "ForeignAssistance.gov (US Department of State / USAID)"
    # the bulk file ForeignAssistance.gov's data page links to (what `pull --all` fetches)
    assert fmt.default_url == "https://s3.amazonaws.com/files.explorer.devtechlab.com/us_foreign_aid_country.csv"


@needs_real
def test_real_row_counts(real: Mapped) -> None:
    assert real.rows.height == 10289
    # obligations and disbursements rows of the transition quarter, regions, NULL codes, ... (below)
    assert real.skipped.height == 2172
    assert real.rows.select("recipient", "fiscal_year").is_duplicated().sum() == 0


@needs_real
def test_real_other_transaction_types_are_counted(real: Mapped) -> None:
    types = Counter(r["Transaction Type Name"] for r in _raw_rows())
    assert types["Obligations"] == 11545
    assert types["Disbursements"] == 5081  # loaded as levels (aid_levels), not counted here
    expected = {f"rows not loaded, transaction type {t}": n for t, n in types.items()
                if t not in ("Obligations", "Disbursements")}
    assert real.counts == {**expected, ROWS_WITHOUT_CHANGE: 54}


@needs_real
def test_real_every_obligation_row_is_mapped_skipped_or_counted(real: Mapped) -> None:
    raw = _raw_rows()
    obligations = {i for i, r in enumerate(raw, start=1) if r["Transaction Type Name"] == "Obligations"}
    skipped = set(real.skipped.get_column("row")) & obligations
    used: set[int] = set()
    for text in real.rows.get_column("source_rows"):
        for part in text.split(";"):
            low, _, high = part.partition("-")
            used.update(range(int(low), int(high or low) + 1))
    assert skipped.isdisjoint(used)
    assert real.skipped.get_column("row").is_duplicated().sum() == 0
    unused = obligations - skipped - used
    assert used <= obligations
    assert len(unused) == real.counts[ROWS_WITHOUT_CHANGE] == 54
    # each row behind no change has the amount of its recipient's previous and next fiscal year
    amounts = {(r["Country Code"], r["Fiscal Year"]): r["current_amount"] for r in raw
               if r["Transaction Type Name"] == "Obligations"}
    for i in unused:
        code, year = raw[i - 1]["Country Code"], int(raw[i - 1]["Fiscal Year"])
        before, after = amounts.get((code, str(year - 1))), amounts.get((code, str(year + 1)))
        assert year == 1946 or before == raw[i - 1]["current_amount"], i
        assert year == 2024 or after == raw[i - 1]["current_amount"], i


@needs_real
def test_real_ukraine_changes(real: Mapped) -> None:
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for r in _raw_rows():
        if r["Country Code"] == "UKR" and r["Transaction Type Name"] == "Obligations":
            sums[int(r["Fiscal Year"])] += Decimal(r["current_amount"])
    ukraine = _by_year(real, "UKR")
    assert ukraine[2022] == ("increase", str(sums[2022] - sums[2021]))
    assert ukraine[2022][1] == "11954818061"  # $12.43bn in FY2022 after $477.9m in FY2021 (SOURCE.md)
    assert ukraine[2023] == ("increase", str(sums[2023] - sums[2022]))
    assert ukraine[2024] == ("decrease", str(sums[2024] - sums[2023]))
    row = real.rows.filter((pl.col("recipient") == "UKR") & (pl.col("fiscal_year") == "2022")).row(0, named=True)
    assert row["announced_on"] == row["effective_on"] == "2021-10-01"
    assert (row["donor"], row["programme"], row["aid_type"], row["currency"]) == ("USA", PROGRAMME, "all", "USD")


@needs_real
def test_real_estonia_fy2023_decrease(real: Mapped) -> None:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for r in _raw_rows():
        if r["Country Code"] == "EST" and r["Transaction Type Name"] == "Obligations":
            sums[r["Fiscal Year"]] += Decimal(r["current_amount"])
    assert _by_year(real, "EST")[2023] == ("decrease", str(sums["2023"] - sums["2022"]))


@needs_real
def test_real_changes_equal_an_independent_computation(real: Mapped) -> None:
    expected = _expected_changes(_raw_rows())
    mapped = {
        (recipient, int(year)): (change, Decimal(amount))
        for recipient, year, change, amount in real.rows.select(
            "recipient", "fiscal_year", "change", "amount_change").iter_rows()
    }
    assert mapped == expected
    assert Counter(kind for kind, _ in expected.values()) == {
        "new": 467, "termination": 405, "increase": 4901, "decrease": 4516,
    }


@needs_real
def test_real_skips_and_their_reasons(real: Mapped) -> None:
    raw = _raw_rows()
    skipped = {row: (column, value, reason) for row, column, value, reason in real.skipped.iter_rows()}
    transition = [i for i, r in enumerate(raw, start=1) if r["Fiscal Year"] == "1976tq"
                  and r["Transaction Type Name"] in ("Obligations", "Disbursements")]
    assert len(transition) == 98  # all of them obligations
    assert all(skipped[i] == ("Fiscal Year", "1976tq", REASON_TQ) for i in transition)
    by_recipient = [
        i for i, r in enumerate(raw, start=1)
        if r["Transaction Type Name"] in ("Obligations", "Disbursements") and r["Fiscal Year"] != "1976tq"
        and _is_skipped_recipient(r["Country Code"], r["Country Name"])
    ]
    assert len(by_recipient) == 2172 - len(transition)
    assert set(skipped) == set(transition) | set(by_recipient)
    null_rows = [skipped[i] for i in by_recipient if raw[i - 1]["Country Code"] == "NULL"]
    assert len(null_rows) == 53 + 2  # obligations, disbursements
    assert all(c == "Country Code" and v == "NULL" and "marks the country code NULL" in why for c, v, why in null_rows)
    eastern = {skipped[i] for i in by_recipient if raw[i - 1]["Country Code"] == "EEN"}
    assert eastern == {("Country Name", "Eastern Europe Region",
                        "'Eastern Europe Region' (code EEN) is a regional or worldwide aggregate of the source, "
                        "not a country or known bloc")}
    world = [skipped[i] for i in by_recipient if raw[i - 1]["Country Code"] == "WLD"]
    assert len(world) == 79 + 24 and all("aggregate" in why for _, _, why in world)
    sudan = {skipped[i][2] for i in by_recipient if raw[i - 1]["Country Code"] == "SDF"}
    assert len(sudan) == 1 and "South Sudan's independence" in sudan.pop()
    # no region of the source became a bloc
    assert not real.rows.get_column("recipient").is_in(["B9", "EU_MEMBER_STATES", "NATO"]).any()


@needs_real
def test_real_names_and_codes_resolve(real: Mapped) -> None:
    recipients = set(real.rows.get_column("recipient"))
    assert {"XKX", "MKD", "TUR", "UKR", "POL", "LTU", "LVA", "EST", "YUG", "SCG", "ANT"} <= recipients


@needs_real
def test_real_rows_normalise_without_problems(real: Mapped) -> None:
    typed, problems = _normalise(real.rows)
    assert problems == []
    assert typed.height == real.rows.height
    assert typed.filter(pl.col("announced_on") >= pl.date(2000, 1, 1)).select(
        (pl.col("amount_change_usd") == pl.col("amount_change")).all()).item()
    signs = typed.select(
        ((pl.col("amount_change") < 0) == pl.col("change").is_in(["decrease", "termination"])).all()
    )
    assert signs.item()


@needs_real
def test_real_row_and_source_rows(real: Mapped) -> None:
    ukraine = real.rows.filter((pl.col("recipient") == "UKR") & (pl.col("fiscal_year") == "2022")).row(0, named=True)
    raw = _raw_rows()
    rows = [i for i, r in enumerate(raw, start=1) if r["Country Code"] == "UKR"
            and r["Transaction Type Name"] == "Obligations" and r["Fiscal Year"] in ("2021", "2022")]
    fy2022 = [i for i in rows if raw[i - 1]["Fiscal Year"] == "2022"]
    assert ukraine["__row"] == fy2022[0]
    assert ukraine["source_rows"] == f"{min(rows)}-{max(rows)}"


# --- synthetic files: the edge rules --------------------------------------------------------------


def test_new_termination_and_absent_years(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        _line("UKR", "Ukraine", "2000", "100"),
        _line("UKR", "Ukraine", "2002", "50"),  # 2001 absent: 0
        _line("POL", "Poland", "2001", "10"),  # appears after the file's first year
        _line("POL", "Poland", "2004", "10"),  # sets the file's last year
    )
    assert _by_year(mapped, "UKR") == {
        2001: ("termination", "-100"), 2002: ("new", "50"), 2003: ("termination", "-50"),
    }
    assert _by_year(mapped, "POL") == {
        2001: ("new", "10"), 2002: ("termination", "-10"), 2004: ("new", "10"),
    }
    termination = mapped.rows.filter((pl.col("recipient") == "UKR") & (pl.col("fiscal_year") == "2001")).row(
        0, named=True)
    assert termination["__row"] == 1 and termination["source_rows"] == "1"  # the previous year's row
    assert termination["announced_on"] == termination["effective_on"] == "2000-10-01"
    assert mapped.skipped.is_empty()
    _, problems = _normalise(mapped.rows)
    assert problems == []


def test_the_file_first_year_gives_no_change(tmp_path: Path) -> None:
    mapped = _synthetic(tmp_path, _line("UKR", "Ukraine", "2010", "100"), _line("UKR", "Ukraine", "2011", "100"))
    assert mapped.rows.is_empty()  # 2010: previous year unknown; 2011: unchanged


def test_negative_obligations(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        _line("EST", "Estonia", "2000", "100"),
        _line("EST", "Estonia", "2001", "-20"),
        _line("EST", "Estonia", "2002", "-10"),
        _line("EST", "Estonia", "2003", "5"),
        _line("EST", "Estonia", "2004", "-5"),
        _line("EST", "Estonia", "2005", "-5"),
    )
    assert _by_year(mapped, "EST") == {
        2001: ("termination", "-120"),
        2002: ("increase", "10"),  # -20 → -10: no obligation either year
        2003: ("new", "15"),
        2004: ("termination", "-10"),
    }
    _, problems = _normalise(mapped.rows)
    assert problems == []


def test_rows_of_one_recipient_and_year_are_summed(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        _line("LTU", "Lithuania", "2020", "1.25"),
        _line("LTU", "Lithuania", "2021", "1"),
        _line("POL", "Poland", "2021", "7"),
        _line("LTU", "Lithuania", "2021", "0.5"),
    )
    row = mapped.rows.filter(pl.col("recipient") == "LTU").row(0, named=True)
    assert (row["fiscal_year"], row["change"], row["amount_change"]) == ("2021", "increase", "0.25")
    assert row["__row"] == 2 and row["source_rows"] == "1;2;4"
    assert row["description"] == "Obligations FY2021: 1.5 USD; FY2020: 1.25 USD (current USD, ForeignAssistance.gov)"


def test_transition_quarter_and_bad_years_are_skipped(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        _line("GRC", "Greece", "1976", "100"),
        _line("GRC", "Greece", "1976tq", "40"),
        _line("GRC", "Greece", "1977", "90"),
        _line("GRC", "Greece", "FY78", "90"),
    )
    assert _by_year(mapped, "GRC") == {1977: ("decrease", "-10")}  # FY1977 against FY1976, the quarter aside
    assert mapped.skipped.rows() == [
        (2, "Fiscal Year", "1976tq", REASON_TQ),
        (4, "Fiscal Year", "FY78", REASON_YEAR),
    ]


def test_other_transaction_types_are_counted_not_loaded(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        _line("UKR", "Ukraine", "2020", "10"),
        _line("UKR", "Ukraine", "2021", "20", kind="Disbursements"),
        _line("UKR", "Ukraine", "2022", "30", kind="Disbursements"),
        _line("UKR", "Ukraine", "2021", "5", kind="Appropriated and Planned"),
        _line("UKR", "Ukraine", "2021", "0", kind=""),
    )
    assert _by_year(mapped, "UKR") == {}  # one year of obligations: nothing to compare
    assert mapped.counts == {"rows not loaded, transaction type Appropriated and Planned": 1, ROWS_WITHOUT_CHANGE: 1}
    # obligations and disbursements are levels per fiscal year; the latest year is partial
    levels = mapped.side["aid_levels"].select("fiscal_year", "measure", "amount", "is_partial", "source_rows")
    assert levels.rows() == [
        ("2020", "obligations", "10", "false", "1"),
        ("2021", "disbursements", "20", "false", "2"),
        ("2022", "disbursements", "30", "true", "3"),
    ]
    assert mapped.skipped.rows() == [(5, "Transaction Type Name", None, REASON_NO_TYPE)]


def test_bad_amounts_are_skipped_not_read_as_zero(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        _line("UKR", "Ukraine", "2020", "10"),
        _line("UKR", "Ukraine", "2021", ""),
        _line("UKR", "Ukraine", "2022", "1e3"),
        _line("UKR", "Ukraine", "2023", "10"),
        _line("UKR", "Ukraine", "2024", "25"),
        _line("EEN", "Eastern Europe Region", "2024", "n/a"),  # reported once, for its amount
    )
    assert mapped.skipped.rows() == [
        (2, "current_amount", None, REASON_NO_AMOUNT),
        (3, "current_amount", "1e3", REASON_AMOUNT),
        (6, "current_amount", "n/a", REASON_AMOUNT),
    ]
    # FY2021-2023 depend on an unreadable year: no change (a 0 would give a termination and a new)
    assert _by_year(mapped, "UKR") == {2024: ("increase", "15")}
    assert mapped.counts == {UNKNOWN_CHANGES: 3, ROWS_WITHOUT_CHANGE: 1}  # FY2020: first year, FY2021 unknown


def test_regions_world_and_null_codes_are_skipped(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        _line("EEN", "Eastern Europe Region", "2020", "5"),
        _line("WLD", "World", "2020", "5"),
        _line("NULL", "Soviet Union (former)", "2020", "5"),
        _line("NULL", "EU member states", "2020", "5"),  # an entity without a code that is a known bloc
        _line("NULL", "EU member states", "2021", "8"),
        _line("XYZ", "Atlantis", "2021", "5"),
        _line("UNO", "United Nations", "2021", "5"),  # an organisation is not a recipient here
        _line("NULL", "Baltic states", "2020", "2"),  # a known bloc (stored as kind region) is kept
        _line("NULL", "Baltic states", "2021", "1"),
    )
    assert mapped.skipped.rows() == [
        (1, "Country Name", "Eastern Europe Region",
         "'Eastern Europe Region' (code EEN) is a regional or worldwide aggregate of the source, "
         "not a country or known bloc"),
        (2, "Country Name", "World",
         "'World' (code WLD) is a regional or worldwide aggregate of the source, not a country or known bloc"),
        (3, "Country Code", "NULL",
         "the source marks the country code NULL (former entity 'Soviet Union (former)'); "
         "SOURCES.md skips such recipients unless they are a known bloc"),
        (6, "Country Name", "Atlantis", "'Atlantis' (code XYZ) is not a country or bloc the warehouse knows"),
        (7, "Country Name", "United Nations",
         "'United Nations' (code UNO) is an organisation; the recipient must be a country or bloc"),
    ]
    assert _by_year(mapped, "EU_MEMBER_STATES") == {2021: ("increase", "3")}
    assert _by_year(mapped, "BALTIC") == {2021: ("decrease", "-1")}
    _, problems = _normalise(mapped.rows)
    assert problems == []


def test_recipients_resolve_by_code_then_by_name(tmp_path: Path) -> None:
    mapped = _synthetic(
        tmp_path,
        _line("CS-KM", "Kosovo", "2020", "1"),
        _line("CS-KM", "Kosovo", "2021", "2"),
        _line("MAK", "Macedonia", "2020", "1"),  # not a code: resolved by name
        _line("MAK", "Macedonia", "2021", "3"),
        _line("TRK", "Turkiye", "2020", "1"),
        _line("TRK", "Turkiye", "2021", "4"),
        _line("NLD", "Some other name", "2020", "1"),  # a real code wins over the name
        _line("NLD", "Some other name", "2021", "5"),
    )
    assert mapped.skipped.is_empty()
    changes = dict(mapped.rows.select("recipient", "amount_change").iter_rows())
    assert changes == {"XKX": "1", "MKD": "2", "TUR": "3", "NLD": "4"}


def test_a_file_without_obligations_gives_no_changes(tmp_path: Path) -> None:
    mapped = _synthetic(tmp_path, _line("UKR", "Ukraine", "2021", "20", kind="Disbursements"))
    assert mapped.rows.is_empty()
    assert set(get_dataset("aid_changes").column_names) | {"__row", "source_rows"} == set(mapped.rows.columns)
    assert mapped.skipped.is_empty()
    assert mapped.counts == {}
    assert mapped.side["aid_levels"].select("measure", "amount").rows() == [("disbursements", "20")]


def test_header_is_matched_trimmed_and_ignoring_case(tmp_path: Path) -> None:
    header = " country code ,COUNTRY NAME,transaction type name,fiscal year,Current_Amount"
    mapped = _synthetic(tmp_path, "UKR,Ukraine,Obligations,2020,1", "UKR,Ukraine, Obligations ,2021,3", header=header)
    assert _by_year(mapped, "UKR") == {2021: ("increase", "2")}


def test_missing_column_rejects_the_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="current_amount"):
        _synthetic(tmp_path, "UKR,Ukraine,Obligations,2020", header="Country Code,Country Name,"
                   "Transaction Type Name,Fiscal Year")


@needs_real
def test_real_ukraine_obligations_and_disbursements_per_fiscal_year(real: Mapped) -> None:
    # "has it arrived?": obligated beside disbursed per fiscal year, recomputed from the file
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for r in _raw_rows():
        if r["Country Code"] == "UKR" and r["Transaction Type Name"] in ("Obligations", "Disbursements"):
            sums[(int(r["Fiscal Year"]), r["Transaction Type Name"].lower())] += Decimal(r["current_amount"])
    levels = real.side["aid_levels"].filter(pl.col("recipient") == "UKR")
    got = {(int(y), m): Decimal(a) for y, m, a in levels.select("fiscal_year", "measure", "amount").iter_rows()}
    assert got == dict(sums)
    # SOURCE.md: obligations FY2022 $12.43bn, FY2023 $16.70bn; disbursements FY2022 $11.18bn, FY2023 $16.44bn
    billions = {k: round(v / Decimal(10**9), 2) for k, v in got.items()}
    assert billions[(2022, "obligations")] == Decimal("12.43") and billions[(2023, "obligations")] == Decimal("16.70")
    assert billions[(2022, "disbursements")] == Decimal("11.18")
    assert billions[(2023, "disbursements")] == Decimal("16.44")
    # the release's latest fiscal year is one the publisher has not finished reporting
    partial = levels.filter(pl.col("is_partial") == "true").get_column("fiscal_year").unique().to_list()
    assert partial == ["2024"]
    fy2023 = levels.filter(pl.col("fiscal_year") == "2023").row(0, named=True)
    assert (fy2023["period_from"], fy2023["period_to"]) == ("2022-10-01", "2023-09-30")


@needs_real
def test_real_latest_fiscal_year_changes_are_partial(real: Mapped) -> None:
    flagged = real.rows.group_by("fiscal_year").agg(pl.col("is_partial").unique()).sort("fiscal_year")
    assert dict(flagged.tail(2).iter_rows()) == {"2023": ["false"], "2024": ["true"]}
    assert set(real.rows.get_column("date_precision")) == {"fiscal_year"}
