"""Tests of the shared-type parsers (ingestion/normalize/values.py)."""

from datetime import date

import polars as pl
import pytest

from ingestion.normalize.values import (
    parse_currency,
    parse_date,
    parse_enum,
    parse_integer,
    parse_month,
    parse_number,
    parse_url,
    suggest_enum,
)

CATEGORIES = ("military", "financial", "security_guarantee", "non_military")


def parse_one(parser, value: str | None, **kwargs):
    """``parser`` applied to one text value, as prepare applies it to a column."""
    return pl.DataFrame({"v": [value]}, schema={"v": pl.String}).select(parser(pl.col("v"), **kwargs)).item()


@pytest.mark.parametrize(
    "text",
    ["2025-09-04", "2025/09/04", "04.09.2025", "4 September 2025", "04 september 2025", " 2025-09-04 "],
)
def test_parse_date_accepts_each_contract_format(text):
    assert parse_one(parse_date, text) == date(2025, 9, 4)


def test_parse_date_accepts_xlsx_date_cell_text():
    assert parse_one(parse_date, "2025-09-04 00:00:00") == date(2025, 9, 4)


@pytest.mark.parametrize("text", ["2025-02-30", "04/09/2025", "2025-09-04 10:30:00", "yesterday"])
def test_parse_date_rejects_invalid_or_ambiguous_dates(text):
    assert parse_one(parse_date, text) is None


def test_parse_date_keeps_null_null():
    assert parse_one(parse_date, None) is None


@pytest.mark.parametrize(("text", "first_day"), [("2025-09", date(2025, 9, 1)), ("2025-09-17", date(2025, 9, 1))])
def test_parse_month_gives_first_day_of_the_month(text, first_day):
    assert parse_one(parse_month, text) == first_day


@pytest.mark.parametrize("text", ["2025-13", "September"])
def test_parse_month_rejects_non_months(text):
    assert parse_one(parse_month, text) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1,200,000", 1_200_000.0),
        ("1 200 000", 1_200_000.0),
        ("2.5bn", 2.5e9),
        ("2.5 BN", 2.5e9),
        ("3m", 3e6),
        ("-4.5", -4.5),
        ("1200.75", 1200.75),
    ],
)
def test_parse_number_reads_separators_and_multipliers(text, number):
    assert parse_one(parse_number, text, multipliers=True) == number


@pytest.mark.parametrize("text", ["1,5", "12abc", "1.200.000", "bn"])
def test_parse_number_rejects_malformed_amounts(text):
    assert parse_one(parse_number, text, multipliers=True) is None


def test_parse_number_without_multipliers_rejects_a_multiplier():
    assert parse_one(parse_number, "3m", multipliers=False) is None


@pytest.mark.parametrize(("text", "number"), [("12", 12), ("12.0", 12), ("-3", -3)])
def test_parse_integer_reads_whole_numbers(text, number):
    assert parse_one(parse_integer, text) == number


@pytest.mark.parametrize("text", ["12.5", "1,000", "twelve"])
def test_parse_integer_rejects_non_whole_numbers(text):
    assert parse_one(parse_integer, text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Military", "military"),
        ("SECURITY GUARANTEE", "security_guarantee"),
        ("non-military", "non_military"),
        (" security - guarantee ", "security_guarantee"),
    ],
)
def test_parse_enum_ignores_case_and_reads_spaces_and_hyphens_as_underscore(text, value):
    assert parse_one(parse_enum, text, allowed=CATEGORIES) == value


@pytest.mark.parametrize("text", ["militray", "=cmd|' /C calc'!A0"])
def test_parse_enum_gives_null_for_unknown_value(text):
    assert parse_one(parse_enum, text, allowed=CATEGORIES) is None


@pytest.mark.parametrize(("text", "closest"), [("militray", "military"), ("Security guarantees", "security_guarantee")])
def test_suggest_enum_names_the_closest_allowed_value_first(text, closest):
    assert suggest_enum(text, CATEGORIES)[0] == closest


def test_suggest_enum_suggests_nothing_for_unrelated_text():
    assert suggest_enum("zzzz", CATEGORIES) == []


@pytest.mark.parametrize(("text", "code"), [("eur", "EUR"), (" usd ", "USD"), ("UAH", "UAH")])
def test_parse_currency_gives_upper_case_iso_code(text, code):
    assert parse_one(parse_currency, text) == code


@pytest.mark.parametrize("text", ["XYZ", "EURO", "€"])
def test_parse_currency_rejects_unknown_codes(text):
    assert parse_one(parse_currency, text) is None


@pytest.mark.parametrize("text", ["http://example.org", "https://www.gov.uk/news?id=1#top"])
def test_parse_url_accepts_http_and_https(text):
    assert parse_one(parse_url, text) == text


@pytest.mark.parametrize("text", ["ftp://x", "not a url", "https://", "www.example.org"])
def test_parse_url_rejects_other_text(text):
    assert parse_one(parse_url, text) is None
