"""Tests of the name key (ingestion/normalize/names.py): one normalised name for identity and matching."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import polars as pl
import pytest

from ingestion.normalize.names import key_of_name, name_key
from tests.conftest import REAL_DATA

SANCTIONS = REAL_DATA / "sanctions"

CASES = {
    "MENYAILO, Sergey Ivanovich": "menyailo sergey ivanovich",
    "  Menyailo   Sergey\tIvanovich ": "menyailo sergey ivanovich",
    "Rimsky-Korsakov": "rimsky korsakov",
    "O'Brien": "o brien",
    "Ivanov, Ivan": "ivanov ivan",
    "Müller": "muller",
    "Straße": "strasse",
    "STRASSE": "strasse",
    "ΟΔΟΣ": "οδοσ",
    "οδος": "οδοσ",
    "ﬁnance": "finance",
    "İstanbul": "istanbul",
    "Mikhail\xa0": "mikhail",
    "soft\xadhyphen": "softhyphen",
    "zero\u200dwidth": "zerowidth",
    "«Добровольцы Донбасса»": "добровольцы донбасса",
    "Bank | Trust + Co.": "bank trust co",
    "ＡＢＣ　１２３": "abc 123",
    "...": None,
    "": None,
    "   ": None,
}


def keys(values: list[str | None]) -> list[str | None]:
    return pl.DataFrame({"v": pl.Series(values, dtype=pl.String)}).select(name_key(pl.col("v"))).to_series().to_list()


@pytest.mark.parametrize(("value", "expected"), CASES.items())
def test_name_key_examples(value, expected):
    assert keys([value]) == [expected]
    assert key_of_name(value) == expected


def test_null_stays_null():
    assert keys([None]) == [None]
    assert key_of_name(None) is None


def test_the_key_never_holds_the_identity_separator():
    assert "|" not in key_of_name("A|B||C")
    assert keys(["A|B"]) == ["a b"]


def test_the_expression_and_the_python_twin_agree_on_every_text_of_the_real_lists():
    if not SANCTIONS.is_dir():
        pytest.skip(f"real data not found at {SANCTIONS}")
    texts: list[str] = []
    for name in ("canada_sema_2025-05-25.xml", "un_consolidated_2020-11-24.xml", "un_consolidated_2025-04-19.xml"):
        texts += [el.text for el in ET.parse(SANCTIONS / name).getroot().iter() if el.text and el.text.strip()]
    with (SANCTIONS / "ofac_sdn_2022-02-24.csv").open(encoding="latin-1", newline="") as fh:
        texts += [field for record in csv.reader(fh) for field in record]
    assert len(texts) > 100_000
    assert keys(texts) == [key_of_name(t) for t in texts]
