"""OFAC's SDN list as history: the real 2022-02-24 snapshot plus snapshots derived from it, loaded out of order.

The later snapshots are derived in the test (entries removed, added, renamed, programme
changed, one entry back); the newest is pulled over HTTP without a date, so it is stamped
with the download date. The history asserted is exact.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ingestion.home import Home
from tests.conftest import REAL_DATA, copy_home, query_home, raw_snapshot, run_cli, table_checksums
from tests.sources.test_ofac_sdn import derive_snapshot, sdn_line

SDN = REAL_DATA / "sanctions" / "ofac_sdn_2022-02-24.csv"
TODAY = date.today().isoformat()

pytestmark = pytest.mark.skipif(not SDN.is_file(), reason=f"the real OFAC snapshot is not at {SDN}")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real snapshot and two derived ones: March 2022 and the newest (served as ``sdn.csv``)."""
    folder = tmp_path_factory.mktemp("sdn")
    real = SDN.read_bytes().decode("latin-1")
    veb = next(line for line in real.split("\r\n") if line.startswith("17015,"))
    march = derive_snapshot(
        real, remove={"36", "17015"}, rename={"306": "BANCO NACIONAL DE CUBA RENAMED"},
        programmes={"424": "CUBA] [SDGT"},
        add=[sdn_line("990001", "SYNTHETIC NEW ENTITY ONE", None, "RUSSIA-EO14024"),
             sdn_line("990002", "SYNTHETIC PERSON TWO", "individual", "CUBA")],
    )
    newest = derive_snapshot(march, remove={"990002"}, add=[veb])
    (folder / "march").mkdir()
    (folder / "served").mkdir()
    paths = {"real": SDN, "march": folder / "march" / "sdn_2022-03-15.csv", "newest": folder / "served" / "sdn.csv"}
    paths["march"].write_bytes(march.encode("latin-1"))
    paths["newest"].write_bytes(newest.encode("latin-1"))
    return paths


@pytest.fixture(scope="module")
def server(snapshots: dict[str, Path]) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(snapshots["newest"].parent))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/sdn.csv"
    httpd.shutdown()


@pytest.fixture(scope="module")
def history_home(built_home: Home, snapshots: dict[str, Path], server: str,
                 tmp_path_factory: pytest.TempPathFactory) -> Home:
    """Newest pulled first, then the real snapshot, then March: out of date order."""
    home = copy_home(built_home, tmp_path_factory.mktemp("designations") / "home")
    assert run_cli("--home", str(home.root), "pull", "ofac-sdn", "--from", server) == 0
    assert run_cli("--home", str(home.root), "ingest", str(snapshots["real"])) == 0
    assert run_cli("--home", str(home.root), "ingest", str(snapshots["march"])) == 0
    return home


def test_the_pulled_list_is_stamped_with_the_download_date(history_home: Home):
    stored = sorted(p.name for p in (history_home.raw / "sources" / "ofac-sdn").glob("*.csv")
                    if p.name != "releases.csv")
    assert stored == ["2022-02-24_ofac_sdn_2022-02-24.csv", "2022-03-15_sdn_2022-03-15.csv", f"{TODAY}_sdn.csv"]


def test_changes_between_consecutive_snapshots_are_exact(history_home: Home):
    changes = set(query_home(history_home, "SELECT entry_id, CAST(as_of AS VARCHAR), change, old_value, new_value "
                                           "FROM marts.fct_designation_changes WHERE list_id = 'us_ofac_sdn'"))
    assert changes == {
        ("36", "2022-03-15", "delisted", "AEROCARIBBEAN AIRLINES", None),
        ("17015", "2022-03-15", "delisted",
         "STATE CORPORATION BANK FOR DEVELOPMENT AND FOREIGN ECONOMIC AFFAIRS VNESHECONOMBANK", None),
        ("306", "2022-03-15", "renamed", "BANCO NACIONAL DE CUBA", "BANCO NACIONAL DE CUBA RENAMED"),
        ("424", "2022-03-15", "programmes_changed", "CUBA", "CUBA;SDGT"),
        ("990001", "2022-03-15", "listed", None, "SYNTHETIC NEW ENTITY ONE"),
        ("990002", "2022-03-15", "listed", None, "SYNTHETIC PERSON TWO"),
        ("17015", TODAY, "relisted", None,
         "STATE CORPORATION BANK FOR DEVELOPMENT AND FOREIGN ECONOMIC AFFAIRS VNESHECONOMBANK"),
        ("990002", TODAY, "delisted", "SYNTHETIC PERSON TWO", None),
    }


def test_entries_keep_first_and_last_seen_and_whether_they_are_listed(history_home: Home):
    rows = dict((e, r) for e, *r in query_home(history_home, """
        SELECT entry_id, CAST(first_seen AS VARCHAR), CAST(last_seen AS VARCHAR), is_listed, target, entity_type
        FROM marts.fct_designations WHERE entry_id IN ('36', '17015', '306', '990001', '990002')"""))
    assert rows == {
        "36": ["2022-02-24", "2022-02-24", False, None, "organisation"],
        "17015": ["2022-02-24", TODAY, True, "RUS", "organisation"],
        "306": ["2022-02-24", TODAY, True, None, "organisation"],
        "990001": ["2022-03-15", TODAY, True, "RUS", "organisation"],
        "990002": ["2022-03-15", "2022-03-15", False, None, "person"],
    }
    assert query_home(history_home, "SELECT count(*), count(*) FILTER (WHERE is_listed) FROM marts.fct_designations") \
        == [(9125, 9123)]  # 9,123 real entries + 2 new; 36 and 990002 off, 17015 back


def test_the_same_snapshot_again_changes_nothing(history_home: Home, snapshots, tmp_path: Path, capsys):
    home = copy_home(history_home, tmp_path / "home")
    twin = tmp_path / "copy_of_sdn_2022-02-24.csv"
    twin.write_bytes(snapshots["real"].read_bytes())
    raw_before, tables_before = raw_snapshot(home), table_checksums(home, ("raw", "history", "marts"))
    assert run_cli("--home", str(home.root), "ingest", str(twin)) == 0
    assert raw_snapshot(home) == raw_before
    assert table_checksums(home, ("raw", "history", "marts")) == tables_before


def test_a_different_file_for_the_same_list_and_date_is_refused(history_home: Home, snapshots, tmp_path: Path,
                                                               capsys):
    home = copy_home(history_home, tmp_path / "home")
    tables_before = table_checksums(home, ("raw", "history", "marts"))
    capsys.readouterr()
    assert run_cli("--home", str(home.root), "ingest", str(snapshots["march"]), "--as-of", "2022-02-24") == 1
    out = capsys.readouterr().out
    assert "the snapshot of us_ofac_sdn as of 2022-02-24 is already loaded from " \
           "raw/sources/ofac-sdn/2022-02-24_ofac_sdn_2022-02-24.csv" in out
    assert table_checksums(home, ("raw", "history", "marts")) == tables_before


def test_the_list_keeper_has_russia_figures(history_home: Home):
    figures = dict(query_home(history_home, """
        SELECT figure, value FROM marts.country_issue_figures
        WHERE country = 'USA' AND issue = 'sanctions_on_russia' AND figure LIKE 'designations_%'"""))
    # 555 Russia-targeted entries in the real snapshot, plus 990001; 17015 is back in the newest
    assert figures == {"designations_listed_russia": 556, "designations_added_russia_12m": 1,
                       # per programme family: 990001 is under RUSSIA-EO14024
                       "designations_listed_russia_eo14024": 70, "designations_listed_ukraine_related": 459,
                       "designations_listed_caatsa_russia": 43}
    by_month = query_home(history_home, """
        SELECT CAST(month AS VARCHAR), additions, delistings FROM marts.designations_by_month
        WHERE list_id = 'us_ofac_sdn' AND target = 'RUS'""")
    assert sorted(by_month) == [("2022-03-01", 1, 1), (TODAY[:8] + "01", 1, 0)]
