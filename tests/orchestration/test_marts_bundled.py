"""Mart values after `refresh` of the bundled seed extracts (one warehouse for the module)."""

from __future__ import annotations

import pytest

from ingestion.home import Home
from ingestion.issues import issue_names
from tests.conftest import query_home

SEED = "Seed report: coalition of the willing summit, Paris, 2025-09-04"
ISSUES = len(issue_names())


@pytest.fixture(scope="module")
def q(built_home: Home):
    return lambda sql, params=None: query_home(built_home, sql, params)


def stance(q, country: str, issue: str) -> tuple:
    return q(
        "SELECT stance, stance_on, stance_actor, stance_source FROM marts.country_issue "
        "WHERE country = ? AND issue = ?", [country, issue],
    )[0]


def test_germany_troop_deployment_is_limited(q):
    assert stance(q, "DEU", "troop_deployment")[:2] == ("limited", __import__("datetime").date(2025, 9, 4))


def test_hungary_keeps_buying_russian_oil_citing_the_report(q):
    value, on, _actor, source = stance(q, "HUN", "russian_oil_purchases")
    assert (value, str(on), source) == ("support", "2025-09-04", SEED)


def test_france_and_uk_support_a_peacekeeping_force(q):
    assert stance(q, "FRA", "peacekeeping_force")[0] == "support"
    assert stance(q, "GBR", "peacekeeping_force")[0] == "support"


def test_latest_us_statement_on_oil_is_witkoffs_allegation(q):
    rows = q(
        "SELECT actor, is_current FROM marts.fct_positions "
        "WHERE country = 'USA' AND issue = 'russian_oil_purchases' ORDER BY valid_from, source_row"
    )
    assert rows == [("Donald Trump", False), ("Steve Witkoff", True)]
    assert stance(q, "USA", "russian_oil_purchases")[2] == "Steve Witkoff"


def test_country_issue_is_a_full_grid(q):
    per_country = q("SELECT country, count(*), count(DISTINCT issue) FROM marts.country_issue GROUP BY 1")
    assert per_country, "country_issue is empty"
    assert all(n == ISSUES and d == ISSUES for _c, n, d in per_country)
    # a country with data but no stated stance on an issue has a null stance, not a missing row
    assert stance(q, "SVK", "troop_deployment")[0] is None


def test_blocs_keep_their_own_code(q):
    # the seed's "EU" is von der Leyen speaking for the EU's institutions (EUU), not its member states
    eu = q("SELECT country_kind, stance FROM marts.country_issue WHERE country = 'EUU' "
           "AND issue = 'russian_oil_purchases'")
    assert eu == [("organisation", "oppose")]
    assert q("SELECT kind FROM marts.dim_country WHERE iso3 = 'COALITION_WILLING'") == [("bloc",)]


def test_threatened_and_proposed_sanctions_are_counted(q):
    rows = dict(
        (c, (t, p, a)) for c, t, p, a in q(
            "SELECT country, sanctions_threatened, sanctions_proposed, sanctions_adopted "
            "FROM marts.country_scorecard WHERE country IN ('USA', 'COALITION_WILLING')"
        )
    )
    assert rows == {"USA": (1, 0, 0), "COALITION_WILLING": (0, 1, 0)}


def test_us_aid_cut_to_the_eastern_flank(q):
    rows = q("SELECT donor, recipient, aid_type, change FROM marts.fct_aid_changes")
    assert rows == [("USA", "B9", "security", "decrease")]


def test_every_fact_row_keeps_its_provenance(q):
    for table in ("fct_pledges", "fct_positions", "fct_sanctions", "fct_aid_changes"):
        missing = q(
            f"SELECT count(*) FROM marts.{table} WHERE source_file IS NULL OR source_sha256 IS NULL "
            "OR source_row IS NULL OR loaded_at IS NULL"
        )[0][0]
        assert missing == 0, table
    files = {r[0] for r in q("SELECT source_file FROM marts.fct_positions")}
    assert files == {"raw/positions/seed_coalition_summit_2025-09-04.csv"}


def test_bloc_membership_is_dated(q):
    rows = q("SELECT member_to, is_current FROM marts.dim_bloc_membership "
             "WHERE bloc = 'EU_MEMBER_STATES' AND member = 'GBR'")
    assert [(str(a), b) for a, b in rows] == [("2020-01-31", False)]
    assert q("SELECT is_eu_member, is_nato_member, is_g7_member FROM marts.dim_country WHERE iso3 = 'GBR'") == [
        (False, True, True)
    ]
    assert q("SELECT is_nato_member FROM marts.dim_country WHERE iso3 = 'SWE'") == [(True,)]


def test_load_log_records_each_loaded_file(q):
    rows = q("SELECT dataset, outcome FROM meta.load_log ORDER BY dataset")
    assert rows == [("aid_changes", "loaded"), ("pledges", "loaded"), ("positions", "loaded"),
                    ("sanctions", "loaded")]
