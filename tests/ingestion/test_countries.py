"""Tests of the country normaliser and its reference data (ingestion/normalize/countries.py)."""

from datetime import date
from pathlib import Path

import polars as pl
import pycountry
import pytest

from ingestion.datasets import DATASETS
from ingestion.normalize import countries
from ingestion.normalize.countries import (
    ReferenceDataError,
    alias_table,
    bloc_members_table,
    country_key,
    entities_table,
    key_of,
    resolve,
    suggest,
)

ALL_KINDS = ("country", "bloc", "region", "organisation", "aggregate")
RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def code_of(value: str | None, allowed_kinds=ALL_KINDS) -> str | None:
    """The code one value resolves to."""
    return resolve(pl.Series([value], dtype=pl.String), allowed_kinds)["code"][0]


def kind_of(value: str) -> str | None:
    """The kind one value resolves to, whether allowed or not."""
    return resolve(pl.Series([value]), ())["kind"][0]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("DE", "DEU"),
        ("DEU", "DEU"),
        ("Germany", "DEU"),
        ("Federal Republic of Germany", "DEU"),
        ("ua", "UKR"),
        ("Viet Nam", "VNM"),
        ("Korea, Republic of", "KOR"),
    ],
)
def test_iso_codes_and_names_resolve(value, code):
    assert code_of(value, ("country",)) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("Great Britain", "GBR"),
        ("United Kingdom", "GBR"),
        ("US", "USA"),
        ("USA", "USA"),
        ("America", "USA"),
        ("United States of America", "USA"),
        ("Russian Federation", "RUS"),
        ("Russia", "RUS"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Turkiye", "TUR"),
        ("Czechia", "CZE"),
        ("Czech Republic", "CZE"),
        ("the Netherlands", "NLD"),
        ("Holland", "NLD"),
        ("South Korea", "KOR"),
        ("North Korea", "PRK"),
        ("Moldova", "MDA"),
    ],
)
def test_contract_aliases_resolve(value, code):
    assert code_of(value, ("country",)) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Gambia, The", "GMB"),
        ("Yemen, North", "YEM"),
        ("Macedonia", "MKD"),
        ("Turkiye", "TUR"),
        ("EU (Commission and Council)", "EUU"),
        ("Czech Rep.", "CZE"),
        ("UN", "UN"),
        ("ECOWAS", "ECOWAS"),
        ("OSCE", "OSCE"),
        ("African Union", "AFRICAN_UNION"),
        ("USSR", "SUN"),
    ],
)
def test_publisher_names_resolve(value, code):
    assert code_of(value) == code


@pytest.mark.parametrize("value", ["germany", "GERMANY", "  Germany ", "The Germany", "the  germany"])
def test_matching_ignores_case_spaces_and_leading_the(value):
    assert code_of(value) == "DEU"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("TÜRKIYE", "TUR"),
        ("Turkiye", "TUR"),
        ("Cote d'Ivoire", "CIV"),
        ("Curacao", "CUW"),
        ("Aland Islands", "ALA"),
    ],
)
def test_matching_ignores_accents(value, code):
    assert code_of(value) == code


@pytest.mark.parametrize(("value", "code"), [("U.S.", "USA"), ("U.K.", "GBR"), ("E.U.", "EUU")])
def test_matching_ignores_dots(value, code):
    assert code_of(value) == code


def test_eu_is_its_institutions_euu_and_its_members_together_another_entity():
    result = resolve(pl.Series(["EU", "European Union", "EU (Commission and Council)"]), ALL_KINDS)
    assert result["code"].to_list() == ["EUU", "EUU", "EUU"]
    assert result["kind"].to_list() == ["organisation"] * 3
    members = resolve(pl.Series(["EU member states", "EU27", "EU-27"]), ALL_KINDS)
    assert members["code"].to_list() == ["EU_MEMBER_STATES"] * 3
    assert members["kind"].to_list() == ["bloc"] * 3


def test_the_eu_institutions_are_no_importer_bloc():
    result = resolve(pl.Series(["EU", "EU member states"]), ("country", "bloc"))
    assert result["code"].to_list() == [None, "EU_MEMBER_STATES"]


def test_eastern_europe_is_the_bucharest_nine():
    assert code_of("Eastern Europe") == "B9"
    assert code_of("Bucharest Nine") == "B9"


def test_eastern_europe_region_is_unknown():
    result = resolve(pl.Series(["Eastern Europe Region"]), ALL_KINDS)
    assert result["code"][0] is None
    assert result["kind"][0] is None


def test_au_is_australia_not_the_african_union():
    assert code_of("AU") == "AUS"
    assert code_of("AU (African Union)") == "AFRICAN_UNION"


def test_kosovo_is_xkx():
    assert code_of("Kosovo", ("country",)) == "XKX"
    assert code_of("XK", ("country",)) == "XKX"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("NATO", "bloc"),
        ("G7", "bloc"),
        ("Coalition of the willing", "bloc"),
        ("Baltic states", "region"),
        ("Nordic countries", "region"),
        ("UN", "organisation"),
        ("France", "country"),
    ],
)
def test_kinds_are_reported(value, kind):
    assert kind_of(value) == kind


def test_bloc_rejected_where_only_countries_allowed_but_kind_reported():
    result = resolve(pl.Series(["NATO", "France"]), allowed_kinds=("country",))
    assert result["code"].to_list() == [None, "FRA"]
    assert result["kind"].to_list() == ["bloc", "country"]


def test_default_allows_countries_only():
    assert resolve(pl.Series(["NATO"]))["code"][0] is None


def test_resolve_keeps_order_length_and_values():
    values = pl.Series(["Germany", None, "Atlantis", "germany", "EU", "Germany"])
    result = resolve(values, ALL_KINDS)
    assert result.columns == ["value", "code", "kind"]
    assert result["value"].to_list() == values.to_list()
    assert result["code"].to_list() == ["DEU", None, None, "DEU", "EUU", "DEU"]


def test_resolve_of_empty_series_is_empty():
    assert resolve(pl.Series([], dtype=pl.String)).height == 0


def test_country_key_agrees_with_key_of():
    values = [
        *alias_table()["key"].to_list(),
        *pl.read_csv(countries.REFERENCE_DIR / "aliases.csv", infer_schema=False)["alias"].to_list(),
        *(c.name for c in pycountry.countries),
        "  The  Côte d’Ivoire ",
        "U. S. A.",
        "theater",
        "İstanbul",
        "Ærø",
        "a\u00a0b",
        "the",
    ]
    vectorised = pl.DataFrame({"v": values}).select(country_key(pl.col("v")))["v"].to_list()
    assert vectorised == [key_of(v) for v in values]


@pytest.mark.parametrize(
    ("value", "key"),
    [("  The  Netherlands ", "netherlands"), ("U.S.", "us"), ("Türkiye", "turkiye"), ("theater", "theater")],
)
def test_key_of(value, key):
    assert key_of(value) == key


def test_suggest_corrects_a_typo():
    assert suggest("Germny")[0] == "Germany"
    assert suggest("Untied Kingdom")[0] == "United Kingdom"


def test_suggest_respects_limit_and_gives_nothing_for_gibberish():
    assert len(suggest("Germny", limit=2)) <= 2
    assert suggest("xqzzyv") == []


def _membership(bloc: str, member: str) -> dict:
    rows = bloc_members_table().filter((pl.col("bloc") == bloc) & (pl.col("member") == member))
    assert rows.height == 1, (bloc, member)
    return rows.row(0, named=True)


def test_uk_left_the_eu_on_2020_01_31():
    assert _membership("EU_MEMBER_STATES", "GBR")["member_from"] == date(1973, 1, 1)
    assert _membership("EU_MEMBER_STATES", "GBR")["member_to"] == date(2020, 1, 31)


def test_finland_and_sweden_joined_nato():
    assert _membership("NATO", "FIN")["member_from"] == date(2023, 4, 4)
    assert _membership("NATO", "SWE")["member_from"] == date(2024, 3, 7)
    assert _membership("NATO", "SWE")["member_to"] is None


def test_current_bloc_sizes():
    today = date(2025, 9, 4)
    current = bloc_members_table().filter(
        (pl.col("member_from").is_null() | (pl.col("member_from") <= today))
        & (pl.col("member_to").is_null() | (pl.col("member_to") >= today))
    )
    sizes = dict(current.group_by("bloc").len().iter_rows())
    expected = {"EU_MEMBER_STATES": 27, "NATO": 32, "G7": 7, "B9": 9, "BALTIC": 3, "NORDIC": 5, "COALITION_WILLING": 4}
    assert sizes == expected


def test_only_regions_have_no_start_date():
    undated = bloc_members_table().filter(pl.col("member_from").is_null())["bloc"].unique().sort().to_list()
    assert undated == ["BALTIC", "NORDIC"]


def test_bloc_members_table_types():
    schema = bloc_members_table().schema
    assert schema["member_from"] == pl.Date
    assert schema["member_to"] == pl.Date


def test_alias_table_has_one_code_per_key():
    table = alias_table()
    assert table.columns == ["key", "code", "kind"]
    assert table["key"].is_unique().all()
    assert table.null_count().sum_horizontal()[0] == 0


def test_entities_table_has_every_iso_country_and_the_reference_entities():
    table = entities_table()
    assert table.columns == ["code", "name", "kind", "iso2", "source"]
    assert table["code"].is_unique().all()
    assert set(table.filter(pl.col("iso2").is_not_null())["code"]) == {c.alpha_3 for c in pycountry.countries}
    assert table.filter(pl.col("code") == "XKX").row(0, named=True)["kind"] == "country"
    assert table.select(pl.col("code", "name", "kind", "source").null_count().sum()).row(0) == (0, 0, 0, 0)


def test_every_reference_row_has_a_source():
    for name in ("entities.csv", "aliases.csv", "bloc_members.csv"):
        frame = pl.read_csv(countries.REFERENCE_DIR / name, infer_schema=False)
        assert frame["source"].null_count() == 0, name


def _entities(*rows: tuple[str, str, str]) -> pl.DataFrame:
    extra = pl.DataFrame(
        [{"code": c, "name": n, "kind": k, "source": "test"} for c, n, k in rows],
        schema=dict.fromkeys(("code", "name", "kind", "source"), pl.String),
    )
    return countries._build_entities(extra)


def _aliases(*rows: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"alias": a, "code": c, "source": "test"} for a, c in rows],
        schema=dict.fromkeys(("alias", "code", "source"), pl.String),
    )


def test_alias_mapping_a_key_to_two_codes_is_rejected():
    entities = _entities(("AFRICAN_UNION", "African Union", "organisation"))
    with pytest.raises(ReferenceDataError, match="'au' maps to more than one code"):
        countries._build_aliases(entities, _aliases(("AU", "AFRICAN_UNION")))


def test_alias_to_an_unknown_code_is_rejected():
    with pytest.raises(ReferenceDataError, match="unknown code 'XXX'"):
        countries._build_aliases(_entities(), _aliases(("Atlantis", "XXX")))


def test_member_of_unknown_code_is_rejected():
    entities = _entities(("NATO", "NATO", "bloc"))
    members = pl.DataFrame(
        {
            "bloc": ["NATO"],
            "member": ["ATL"],
            "member_from": ["1949-04-04"],
            "member_to": [None],
            "source": ["test"],
        },
        schema=dict.fromkeys(("bloc", "member", "member_from", "member_to", "source"), pl.String),
    )
    with pytest.raises(ReferenceDataError, match="member 'ATL' of NATO is not a known country"):
        countries._build_members(entities, members)


def test_entity_with_an_unknown_kind_is_rejected():
    with pytest.raises(ReferenceDataError, match="kind 'club'"):
        _entities(("CLUB", "Club", "club"))


def _seed_country_columns():
    for dataset in DATASETS.values():
        for column in dataset.columns:
            if column.type == "country":
                yield dataset.name, column.name, ("country", *column.groups)


@pytest.mark.parametrize(("dataset", "column", "kinds"), list(_seed_country_columns()))
def test_bundled_extracts_name_known_countries(dataset, column, kinds):
    for path in sorted((RAW / dataset).glob("*.csv")):
        values = pl.read_csv(path, infer_schema=False)
        if column not in values.columns:
            continue
        result = resolve(values[column].drop_nulls(), kinds)
        assert result.filter(pl.col("code").is_null())["value"].to_list() == [], path.name
