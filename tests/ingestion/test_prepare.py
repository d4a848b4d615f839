"""Tests of reading, normalising and validating one extract file (ingestion/prepare.py)."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from ingestion.datasets import DATASETS
from ingestion.prepare import PreparedFile, prepare_file
from ingestion.problems import Problem, problems_to_csv

TODAY = date(2025, 10, 1)
FORMULA = "=cmd|' /C calc'!A0"
PLEDGES = DATASETS["pledges"]
OIL_IMPORTS = DATASETS["oil_imports"]
AID_CHANGES = DATASETS["aid_changes"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """Write a CSV file with proper quoting."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def prepare(path: Path, dataset=PLEDGES) -> PreparedFile:
    """Prepare ``path`` as of :data:`TODAY`, reported under its file name."""
    return prepare_file(path, dataset, name=path.name, today=TODAY)


# --- a valid file -----------------------------------------------------------------------------

VALID_HEADER = ["pledge_id", "announced_on", "donor", "recipient", "category", "amount", "currency", "status",
                "description", "Briefing note"]
VALID_ROWS = [
    ["", "2025-09-04", "Germany", "", "military", "2.5bn", "EUR", "", FORMULA, "from the briefing"],
    ["eu-1", "2025-09-05", "EU", "Moldova", "Financial", "1,000", "usd", "committed", "", ""],
]


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> Path:
    return write_csv(tmp_path_factory.mktemp("valid") / "pledges.csv", VALID_HEADER, VALID_ROWS)


@pytest.fixture(scope="module")
def rows(valid) -> list[dict]:
    prepared = prepare(valid)
    assert prepared.problems == []
    return prepared.rows.to_dicts()


def test_valid_file_is_accepted(valid):
    prepared = prepare(valid)
    assert (prepared.accepted, prepared.problems, prepared.rows.height) == (True, [], 2)


def test_country_names_and_blocs_become_codes(rows):
    assert [r["donor"] for r in rows] == ["DEU", "EUU"]


def test_recipient_defaults_to_ukraine(rows):
    assert [r["recipient"] for r in rows] == ["UKR", "MDA"]


def test_status_defaults_to_announced(rows):
    assert [r["status"] for r in rows] == ["announced", "committed"]


def test_enum_and_currency_are_normalised(rows):
    assert (rows[1]["category"], rows[1]["currency"]) == ("financial", "USD")


def test_amount_with_multiplier_is_parsed_and_eur_copied(rows):
    assert (rows[0]["amount"], rows[0]["amount_eur"]) == (2.5e9, 2.5e9)


def test_plain_conversion_has_null_note(rows):
    assert [r["conversion_note"] for r in rows] == [None, None]


def test_announced_on_is_a_date(rows):
    assert rows[0]["announced_on"] == date(2025, 9, 4)


def test_source_row_is_the_1_based_data_row(rows):
    assert [r["source_row"] for r in rows] == [1, 2]


def test_missing_pledge_id_is_derived_and_prefixed(rows):
    assert rows[0]["pledge_id"].startswith("pledges:")
    assert [r["pledge_id_derived"] for r in rows] == [True, False]


def test_given_pledge_id_is_kept(rows):
    assert rows[1]["pledge_id"] == "eu-1"


def test_derived_pledge_id_is_stable_across_calls(valid):
    first, second = prepare(valid), prepare(valid)
    assert first.rows["pledge_id"][0] == second.rows["pledge_id"][0]


def test_derived_pledge_id_depends_on_the_row_content(tmp_path):
    path = write_csv(tmp_path / "two.csv", ["announced_on", "donor", "category"],
                     [["2025-09-04", "Germany", "military"], ["2025-09-04", "France", "military"]])
    ids = prepare(path).rows["pledge_id"].to_list()
    assert ids[0] != ids[1]


def test_unknown_column_is_kept_as_json_in_source_extra(rows):
    assert json.loads(rows[0]["source_extra"]) == {"Briefing note": "from the briefing"}


def test_unknown_column_is_listed_as_extra(valid):
    assert prepare(valid).extra_columns == ["extra:Briefing note"]


def test_formula_in_free_text_is_stored_verbatim(rows):
    assert rows[0]["description"] == FORMULA


def test_header_matching_ignores_case_and_surrounding_spaces(tmp_path):
    path = write_csv(tmp_path / "header.csv", [" Announced_On ", "DONOR", "Category  "],
                     [["2025-09-04", "Germany", "military"]])
    prepared = prepare(path)
    assert (prepared.problems, prepared.rows["donor"].to_list()) == ([], ["DEU"])


def test_announced_on_exactly_31_days_ahead_is_accepted(tmp_path):
    path = write_csv(tmp_path / "ahead.csv", ["announced_on", "donor", "category"],
                     [["2025-11-01", "Germany", "military"]])
    assert prepare(path).problems == []


def test_effective_on_far_ahead_is_accepted(tmp_path):
    path = write_csv(
        tmp_path / "aid.csv",
        ["announced_on", "effective_on", "donor", "recipient", "programme", "aid_type", "change"],
        [["2025-09-01", "2027-10-01", "USA", "Eastern Europe", "Section 333 train-and-equip", "security", "new"]],
    )
    assert prepare(path, AID_CHANGES).problems == []


# --- a file with many problems -----------------------------------------------------------------

PLEDGE_HEADER = ["pledge_id", "announced_on", "donor", "category", "amount", "currency", "description"]
BAD_PLEDGES = [
    ["a", "2025-09-04", "Germny", "military", "10", "EUR", ""],  # 1 unknown country
    ["b", "2025-09-04", "Germany", "militray", "10", "EUR", ""],  # 2 unknown enum
    ["c", "2025-02-30", "Germany", "military", "10", "EUR", ""],  # 3 no such date
    ["d", "2025-09-04", "Germany", "military", "-5", "EUR", ""],  # 4 negative amount
    ["e", "2025-09-04", "Germany", "military", "5", "", ""],  # 5 amount without currency
    ["f", "2025-11-15", "Germany", "military", "5", "EUR", ""],  # 6 too far in the future
    ["g", "2025-09-04", "Germany", "military", "5", "EUR", "x" * 10_001],  # 7 text too long
    ["a", "2025-09-04", "France", "military", "5", "EUR", ""],  # 8 duplicate pledge_id
    ["", "2025-09-04", "France", "humanitarian", "7", "EUR", ""],  # 9 fine
    ["", "2025-09-04", "France", "humanitarian", "7", "EUR", ""],  # 10 the same as row 9
    ["h", "2025-09-04", "France", FORMULA, "7", "EUR", ""],  # 11 formula in a coded column
    ["i", "2025-09-04", "Poland", "training", "", "", ""],  # 12 fine
]

OIL_HEADER = ["period", "importer", "origin", "route", "via_country", "product", "volume_tonnes", "value",
              "currency"]
BAD_OIL = [
    ["2025-08", "Germany", "NATO", "pipeline", "", "crude", "100", "", ""],  # 1 bloc as origin
    ["2025-08", "Hungary", "", "pipeline", "India", "crude", "100", "", ""],  # 2 via_country, pipeline
    ["2025-08", "Hungary", "", "via_third_country", "", "refined", "100", "", ""],  # 3 no via_country
    ["2025-08", "Hungary", "", "pipeline", "", "crude", "", "", ""],  # 4 neither volume nor value
    ["2025-08", "India", "", "seaborne", "", "crude", "", "5m", "USD"],  # 5 fine
    ["2025-08", "EU", "", "pipeline", "", "crude", "100", "", ""],  # 6 the EU's institutions as an importer
]

AID_HEADER = ["announced_on", "effective_on", "donor", "recipient", "programme", "aid_type", "change",
              "amount_change", "currency"]
BAD_AID = [
    ["2025-09-01", "", "USA", "Baltic states", "Baltic Security Initiative", "security", "decrease", "100",
     "USD"],  # 1 positive amount for a decrease
    ["2025-09-01", "2024-08-31", "USA", "Ukraine", "USAI", "military", "increase", "100", "USD"],  # 2 too early
    ["2025-09-01", "2024-09-01", "USA", "Ukraine", "USAI", "military", "termination", "-100", "USD"],  # 3 fine
]


@pytest.fixture(scope="module")
def problem_files(tmp_path_factory) -> dict[str, list[Problem]]:
    folder = tmp_path_factory.mktemp("bad")
    files = {"pledges": (PLEDGE_HEADER, BAD_PLEDGES), "oil_imports": (OIL_HEADER, BAD_OIL),
             "aid_changes": (AID_HEADER, BAD_AID)}
    return {
        name: prepare(write_csv(folder / f"{name}.csv", header, rows), DATASETS[name]).problems
        for name, (header, rows) in files.items()
    }


def test_invalid_file_has_no_rows_to_load(tmp_path):
    prepared = prepare(write_csv(tmp_path / "pledges.csv", PLEDGE_HEADER, BAD_PLEDGES))
    assert (prepared.accepted, prepared.rows) == (False, None)


@pytest.mark.parametrize(
    ("dataset", "expected"),
    [
        ("pledges", [
            (1, "donor", "country"), (2, "category", "enum"), (3, "announced_on", "type_date"),
            (4, "amount", "min_value"), (5, "currency", "currency_with_amount"), (6, "announced_on", "not_future"),
            (7, "description", "text_length"), (8, "pledge_id", "unique_id"), (10, "(row)", "unique_row"),
            (11, "category", "enum"),
        ]),
        ("oil_imports", [
            (1, "origin", "country"), (2, "via_country", "via_country_only_via_route"),
            (3, "via_country", "via_country_required"), (4, "volume_tonnes", "volume_or_value"),
            (6, "importer", "country"),
        ]),
        ("aid_changes", [(1, "amount_change", "sign_agrees_with_change"),
                         (2, "effective_on", "effective_not_a_year_early")]),
    ],
)
def test_every_problem_of_a_file_is_reported_at_once(problem_files, dataset, expected):
    assert sorted((p.row, p.column, p.check) for p in problem_files[dataset]) == expected


@pytest.mark.parametrize(
    ("dataset", "row", "column", "value", "check", "reason"),
    [
        ("pledges", 1, "donor", "Germny", "country", "unknown country or bloc (did you mean 'Germany'"),
        ("pledges", 2, "category", "militray", "enum", "did you mean 'military'"),
        ("pledges", 3, "announced_on", "2025-02-30", "type_date", "not a date: use YYYY-MM-DD"),
        ("pledges", 4, "amount", "-5", "min_value", "must be >= 0"),
        ("pledges", 5, "currency", None, "currency_with_amount", "a currency is required when amount is given"),
        ("pledges", 6, "announced_on", "2025-11-15", "not_future", "more than 31 days in the future"),
        ("pledges", 7, "description", "x" * 80 + "...", "text_length",
         "text of 10001 characters; at most 10000 are allowed"),
        ("pledges", 8, "pledge_id", "a", "unique_id", "duplicate pledge_id: already used on row 1"),
        ("pledges", 10, "(row)", None, "unique_row", "the same row as row 9"),
        ("pledges", 11, "category", FORMULA, "enum", "unknown category value; allowed: military"),
        ("oil_imports", 1, "origin", "NATO", "country", "'NATO' is a bloc; origin must be a country"),
        ("oil_imports", 6, "importer", "EU", "country",
         "'EU' is an organisation (European Union (its institutions)); importer must be a country, bloc or "
         "aggregate"),
        ("oil_imports", 2, "via_country", "India", "via_country_only_via_route",
         "via_country is only allowed when route is via_third_country"),
        ("oil_imports", 3, "via_country", None, "via_country_required",
         "via_country is required when route is via_third_country"),
        ("oil_imports", 4, "volume_tonnes", None, "volume_or_value",
         "at least one of volume_tonnes and value is required"),
        ("aid_changes", 1, "amount_change", "100", "sign_agrees_with_change",
         "amount_change must be negative for decrease"),
        ("aid_changes", 2, "effective_on", "2024-08-31", "effective_not_a_year_early",
         "effective_on may not be more than one year before announced_on"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_problem_names_row_column_value_and_reason(problem_files, dataset, row, column, value, check, reason):
    (problem,) = [p for p in problem_files[dataset] if p.row == row and p.check == check]
    assert (problem.file, problem.column, problem.value) == (f"{dataset}.csv", column, value)
    assert reason in problem.reason


# --- file-level problems ----------------------------------------------------------------------


def test_missing_required_columns_are_one_file_level_problem(tmp_path):
    path = write_csv(tmp_path / "pledges.csv", ["donor", "amount"], [["Germany", "5"]])
    assert prepare(path).problems == [Problem(
        "pledges.csv", None, "announced_on, category", None, "required_columns",
        "required column(s) missing from the header: announced_on, category",
    )]


def test_columns_of_another_dataset_suggest_that_dataset(tmp_path):
    path = write_csv(tmp_path / "oil.csv", OIL_HEADER, BAD_OIL[-1:])
    (problem,) = prepare(path).problems
    assert "--dataset oil_imports" in problem.reason


def test_column_given_twice_is_a_file_level_problem(tmp_path):
    path = write_csv(tmp_path / "twice.csv", ["announced_on", "donor", "Donor", "category"],
                     [["2025-09-04", "Germany", "France", "military"]])
    (problem,) = prepare(path).problems
    assert (problem.row, problem.column) == (None, None)
    assert problem.reason == "column 'Donor' appears twice in the header"


def test_unreadable_file_is_one_file_level_problem(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    prepared = prepare(path)
    assert prepared.problems == [Problem("empty.csv", None, None, None, "file_readable", "the file is empty")]
    assert prepared.rows is None


# --- reporting --------------------------------------------------------------------------------


def test_problem_as_text_names_file_row_column_value_and_reason():
    text = Problem("raw/pledges/a.csv", 3, "donor", "Germny", "country", "unknown country or bloc").as_text()
    for part in ("raw/pledges/a.csv:3", "donor", "'Germny'", "unknown country or bloc"):
        assert part in text


def test_file_level_problem_as_text_starts_with_the_file():
    text = Problem("raw/pledges/a.csv", None, None, None, "file_readable", "the file is empty").as_text()
    assert text == "raw/pledges/a.csv: the file is empty"


@pytest.mark.parametrize(
    ("value", "written"),
    [(FORMULA, "'" + FORMULA), ("+1+1", "'+1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("-5", "-5"), ("Germny", "Germny")],
)
def test_problems_csv_escapes_formula_like_values(value, written):
    report = problems_to_csv([Problem("a.csv", 1, "category", value, "enum", "unknown category value")])
    (record,) = list(csv.DictReader(io.StringIO(report)))
    assert record["value"] == written
