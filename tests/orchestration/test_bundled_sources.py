"""What `make run` builds: the hand-written extracts and the publishers' files bundled under data/raw/sources,
each unmodified (its SHA-256 as data/raw/sources/README.md states it), loaded into real figures."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from ingestion.home import Home
from tests.conftest import BUNDLED_RAW, query_home, run_cli

SOURCES = BUNDLED_RAW / "sources"


def bundled_files() -> dict[str, str]:
    """Each bundled publisher file (relative to data/raw/sources) and the SHA-256 the README gives it."""
    readme = (SOURCES / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", readme, flags=re.MULTILINE))


def test_every_bundled_file_is_listed_with_its_licence_and_unmodified():
    listed = bundled_files()
    on_disk = {p.relative_to(SOURCES).as_posix() for p in SOURCES.glob("*/*") if p.name != "releases.csv"}
    assert set(listed) == on_disk
    for name, sha in listed.items():
        assert hashlib.sha256((SOURCES / name).read_bytes()).hexdigest() == sha, f"{name} differs from its release"
    readme = (SOURCES / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `")]
    assert all("public domain" in row or "MIT" in row for row in rows), "a bundled file whose licence is unknown"
    # the MIT licence asks for its text to go with the file: beside this README, named for the folder
    for row in (r for r in rows if "MIT" in r):
        folder = row.split("`")[1].split("/")[0]
        licence = (SOURCES / f"LICENSE-{folder}.txt").read_text(encoding="utf-8")
        assert licence.startswith("MIT License") and f"LICENSE-{folder}.txt" in row


@pytest.fixture(scope="module")
def bundled_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The default home as `make run` builds it: every file under data/raw, bundled sources included."""
    root = tmp_path_factory.mktemp("bundled") / "home"
    shutil.copytree(BUNDLED_RAW, root / "raw", ignore=shutil.ignore_patterns("ingest_order.csv"))
    assert run_cli("--home", str(root), "refresh") == 0
    return Home(root)


def test_make_run_holds_real_designations_aid_figures_and_vetoes(bundled_home: Home):
    q = lambda sql: query_home(bundled_home, sql)  # noqa: E731
    # OFAC's SDN list of 24 February 2022: 9,123 entries (SOURCE.md of the real data)
    assert q("SELECT count(*) FROM marts.fct_designations WHERE is_listed") == [(9_123,)]
    # ForeignAssistance.gov: obligations to Ukraine, FY2022 $12,432,681,638 (the publisher's row)
    assert q("SELECT amount FROM marts.fct_aid_levels WHERE recipient = 'UKR' AND fiscal_year = 2022 "
             "AND measure = 'obligations'") == [(12_432_681_638,)]
    assert q("SELECT count(*) FROM marts.fct_aid_changes WHERE source = 'us-foreign-assistance'")[0][0] > 0
    designations = dict(q("SELECT figure, value FROM marts.country_issue_figures WHERE country = 'USA' "
                          "AND figure = 'designations_listed_russia'"))
    assert designations["designations_listed_russia"] > 0
    # The World Politics Data Lab's UN Security Council veto list: 214 vetoes, a statement per vetoing member
    vetoes = q("SELECT count(*), count(DISTINCT source_row) FROM marts.fct_positions WHERE source = 'unsc-vetoes'")
    assert vetoes[0][0] > 0 and vetoes == [(265, 214)]
    assert q("SELECT stated_on::varchar, country, stance FROM marts.fct_positions WHERE source = 'unsc-vetoes' "
             "AND issue = 'un_security_council_action_on_ukraine' ORDER BY stated_on") == [
        ("2014-03-15", "RUS", "oppose"), ("2015-07-29", "RUS", "oppose"), ("2022-02-25", "RUS", "oppose")]
    assert q("SELECT stance, stance_on::varchar FROM marts.country_issue WHERE country = 'RUS' "
             "AND issue = 'un_security_council_action_on_ukraine'") == [("oppose", "2022-02-25")]


def test_bundled_releases_are_named_by_their_source_in_the_sources_command(bundled_home: Home, capsys):
    assert run_cli("--home", str(bundled_home.root), "sources") == 0
    out = capsys.readouterr().out
    for folder in {Path(name).parts[0] for name in bundled_files()}:
        assert folder in out
