"""The UN Security Council veto list, unmodified, through `pledgewatch ingest` into an empty home: the vetoes
become statements in marts.fct_positions and stances in marts.country_issue (one Dagster run, no other data)."""

from __future__ import annotations

import hashlib

import pytest

from ingestion.home import Home
from tests.conftest import REAL_DATA, query_home, run_cli

VETOES = REAL_DATA / "positions" / "unsc_vetoes_1946_sept2022.csv"
ON_UKRAINE = "un_security_council_action_on_ukraine"

pytestmark = pytest.mark.skipif(
    not VETOES.is_file(), reason=f"the real veto list is not at {VETOES} (real data is not shipped with the project)")


@pytest.fixture(scope="module")
def vetoes_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A scratch home holding nothing but the veto list, ingested by the CLI."""
    home = Home(tmp_path_factory.mktemp("vetoes") / "home")
    assert run_cli("--home", str(home.root), "ingest", str(VETOES)) == 0
    return home


def test_the_file_is_recognised_and_stored_byte_for_byte(vetoes_home: Home):
    sha = hashlib.sha256(VETOES.read_bytes()).hexdigest()
    stored = vetoes_home.raw / "sources" / "unsc-vetoes" / f"{sha[:12]}_{VETOES.name}"
    assert stored.read_bytes() == VETOES.read_bytes()
    assert query_home(vetoes_home, "SELECT source, dataset, rows_skipped, data_from::varchar, data_to::varchar "
                                   "FROM meta.source_releases") == [
        ("unsc-vetoes", "positions", 0, "1946-02-16", "2022-07-08")]


def test_every_veto_is_a_statement_in_fct_positions(vetoes_home: Home):
    q = lambda sql: query_home(vetoes_home, sql)  # noqa: E731
    assert q("SELECT count(*), count(DISTINCT source_row), min(stated_on)::varchar, max(stated_on)::varchar "
             "FROM marts.fct_positions WHERE source = 'unsc-vetoes' AND stance = 'oppose'") == [
        (265, 214, "1946-02-16", "2022-07-08")]
    assert q("SELECT stated_on::varchar, country, source_row FROM marts.fct_positions "
             f"WHERE issue = '{ON_UKRAINE}' ORDER BY stated_on") == [
        ("2014-03-15", "RUS", 191), ("2015-07-29", "RUS", 194), ("2022-02-25", "RUS", 216)]
    assert q("SELECT DISTINCT source_url FROM marts.fct_positions")[0][0].endswith(
        "/661c5246872143cf16e500e4e7f2f70a45df5ac8/unsc_vetoes_1946_sept2022.csv")
    assert q("SELECT count(*) FROM marts.fct_positions WHERE country = 'SUN'") == [(90,)]


def test_country_issue_holds_each_members_latest_veto(vetoes_home: Home):
    rows = query_home(vetoes_home, "SELECT country, issue, stance, stance_on::varchar, evidence_count "
                                   "FROM marts.country_issue WHERE stance IS NOT NULL ORDER BY country, issue")
    assert rows == [
        ("CHN", "un_security_council_action", "oppose", "2022-05-26", 17),
        ("FRA", "un_security_council_action", "oppose", "1989-12-23", 16),
        ("GBR", "un_security_council_action", "oppose", "1989-12-23", 29),
        ("RUS", "un_security_council_action", "oppose", "2022-07-08", 28),
        ("RUS", ON_UKRAINE, "oppose", "2022-02-25", 3),
        ("SUN", "un_security_council_action", "oppose", "1984-02-29", 90),
        ("USA", "un_security_council_action", "oppose", "2020-08-31", 82),
    ]
    scorecard = query_home(vetoes_home, f"SELECT {ON_UKRAINE}_stance FROM marts.country_scorecard "
                                        "WHERE country = 'RUS'")
    assert scorecard == [("oppose",)]
