"""Publishers' own files, unmodified, through the CLI: ingest, pull over HTTP, supersede, rebuild.

The figures asserted here are computed in the test from the publishers' files with the csv
module, independently of the format modules.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion.home import Home
from ingestion.prepare import file_sha256
from tests.conftest import REAL_DATA, copy_home, query_home, raw_snapshot, run_cli, table_checksums

KIEL = REAL_DATA / "pledges" / "kiel_ust_data_explorer.csv"
CREA_VALUES = REAL_DATA / "oil_imports" / "crea_price_cap_ts.csv"
CREA_SHIPMENTS = REAL_DATA / "oil_imports" / "crea_shipments_to_nl.csv"
US_AID = REAL_DATA / "aid_changes" / "us_foreign_aid_country.csv"
GSDB = REAL_DATA / "sanctions" / "GSDB_V3.csv"
ALL_FILES = (KIEL, CREA_VALUES, CREA_SHIPMENTS, US_AID, GSDB)

pytestmark = pytest.mark.skipif(
    not all(p.is_file() for p in ALL_FILES),
    reason=f"the real publisher files are not in {REAL_DATA} (they are not shipped with the project)",
)


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def server(publisher_server: str) -> str:
    """The session's publisher server (Kiel's release at /data/data_explorer.csv)."""
    return publisher_server


@pytest.fixture(scope="module")
def sources_home(real_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A private copy of the home with every real publisher file (this module's tests change it)."""
    return copy_home(real_home, tmp_path_factory.mktemp("sources") / "home")


def q(home: Home, sql: str, params: list | None = None) -> list[tuple]:
    return query_home(home, sql, params)


def test_every_file_is_stored_byte_for_byte_under_raw_sources(sources_home: Home):
    stored = {p.parent.name: p for p in (sources_home.raw / "sources").glob("*/*") if p.name != "releases.csv"}
    assert set(stored) == {"kiel-ust", "crea-values", "crea-shipments", "us-foreign-assistance", "gsdb", "ofac-sdn"}
    for path in ALL_FILES:
        twin = next(p for p in stored.values() if p.name.endswith("_" + path.name) or
                    (path == KIEL and p.name.endswith("_data_explorer.csv")))
        assert twin.read_bytes() == path.read_bytes()
    manifest = rows_of(sources_home.raw / "sources" / "crea-shipments" / "releases.csv")
    assert [m["importer"] for m in manifest] == ["NL"]


def test_rows_loaded_and_skipped_per_file_are_recorded(sources_home: Home):
    recorded = dict(q(sources_home, "SELECT source, rows_skipped FROM meta.source_releases"))
    assert recorded == {"kiel-ust": 0, "crea-values": 0, "crea-shipments": 0,
                        "us-foreign-assistance": 2172, "gsdb": 17, "ofac-sdn": 0}
    log = q(sources_home, "SELECT problem_count, problems FROM meta.load_log "
                          "WHERE outcome = 'loaded' AND source_file LIKE 'raw/sources/gsdb/%'")
    assert log[0][0] == 17 and "South Vietnam" in log[0][1]


def test_kiel_allocations_become_pledges_with_the_publishers_totals(sources_home: Home):
    germany = sum(Decimal(r["military"]) for r in rows_of(KIEL) if r["iso"] == "DEU") * 10**9
    loaded = q(sources_home, "SELECT sum(amount_eur) FROM marts.fct_pledges "
                             "WHERE donor = 'DEU' AND category = 'military' AND pledge_id LIKE 'kiel-ust:%'")[0][0]
    assert loaded == pytest.approx(float(germany), rel=1e-9)
    eu = q(sources_home, "SELECT count(*) FROM marts.fct_pledges WHERE donor = 'EUU' AND pledge_id LIKE 'kiel-ust:%'")
    assert eu[0][0] > 0  # Kiel's EU is the EU's institutions


def test_commitments_not_yet_allocated_are_the_running_sum_of_to_be_allocated(sources_home: Home):
    usa = sum(Decimal(r["to_be_allocated"]) for r in rows_of(KIEL) if r["iso"] == "USA") * 10**9
    latest = q(sources_home, "SELECT committed_not_allocated_eur FROM marts.fct_pledge_commitments "
                             "WHERE donor = 'USA' ORDER BY period DESC LIMIT 1")[0][0]
    assert latest == pytest.approx(float(usa), rel=1e-9, abs=1)


def test_crea_values_sum_the_months_observed_value(sources_home: Home):
    march = sum(Decimal(r["Without price cap"]) for r in rows_of(CREA_VALUES)
                if r["destination_region"] == "EU" and r["commodity_group"] == "oil" and r["date"][:7] == "2022-03")
    loaded = q(sources_home, "SELECT value_eur FROM marts.fct_oil_imports WHERE importer = 'EU_MEMBER_STATES' "
                             "AND product = 'oil' AND period = DATE '2022-03-01' AND route = 'unspecified'")
    assert len(loaded) == 1
    assert loaded[0][0] == pytest.approx(float(march), rel=1e-9)


def test_crea_shipments_split_russian_cargo_from_third_countries(sources_home: Home):
    crude = sum(Decimal(r["Crude oil"]) for r in rows_of(CREA_SHIPMENTS)
                if r["commodity_origin_country"] == "Russia" and r["date"][:7] == "2022-03")
    loaded = q(sources_home, "SELECT volume_tonnes FROM marts.fct_oil_imports WHERE importer = 'NLD' "
                             "AND product = 'crude' AND route = 'seaborne' AND period = DATE '2022-03-01'")
    assert loaded[0][0] == pytest.approx(float(crude), rel=1e-9)
    origins = q(sources_home, "SELECT DISTINCT origin, route, via_country FROM marts.fct_oil_imports "
                              "WHERE importer = 'NLD' ORDER BY origin")
    assert origins == [("RUS", "seaborne", None), ("TUR", "seaborne", None)]


def test_us_obligations_become_year_on_year_changes(sources_home: Home):
    def obligations(year: str) -> Decimal:
        return sum(Decimal(r["current_amount"]) for r in rows_of(US_AID)
                   if r["Country Code"] == "UKR" and r["Fiscal Year"] == year
                   and r["Transaction Type Name"] == "Obligations")

    change = obligations("2022") - obligations("2021")
    loaded = q(sources_home, "SELECT amount_change_usd, change, effective_on FROM marts.fct_aid_changes "
                             "WHERE donor = 'USA' AND recipient = 'UKR' AND fiscal_year = 2022")
    assert len(loaded) == 1
    assert loaded[0][0] == pytest.approx(float(change), rel=1e-9)
    assert loaded[0][1] == ("increase" if change > 0 else "decrease")
    assert str(loaded[0][2]) == "2021-10-01"


def test_gsdb_cases_in_force_against_russia(sources_home: Home):
    cases = rows_of(GSDB)
    last_year = max(int(r["end"]) for r in cases if r["end"].isdigit())
    expected = {r["case_id"] for r in cases if "Russia" in r["sanctioned_state"] and r["end"] == str(last_year)}
    loaded = q(sources_home, "SELECT DISTINCT split_part(measure_id, ':', 2) FROM marts.fct_sanctions "
                             "WHERE target = 'RUS' AND status = 'in_force' AND measure_id LIKE 'gsdb:%'")
    assert {c for (c,) in loaded} == expected


def test_a_second_pull_of_the_same_release_changes_nothing(sources_home: Home, server: str, capsys):
    raw_before, tables_before = raw_snapshot(sources_home), table_checksums(sources_home)
    capsys.readouterr()
    assert run_cli("--home", str(sources_home.root), "pull", "kiel-ust", "--from",
                   f"{server}/data/data_explorer.csv") == 0
    assert "unchanged kiel-ust" in capsys.readouterr().out
    assert raw_snapshot(sources_home) == raw_before
    assert table_checksums(sources_home) == tables_before


@pytest.mark.parametrize("path", ["/data/missing.csv", None])
def test_a_release_that_cannot_be_fetched_exits_4_and_changes_nothing(sources_home: Home, server: str, path,
                                                                    capsys):
    url = f"{server}{path}" if path else "http://127.0.0.1:9/data_explorer.csv"  # port 9: nothing listens
    raw_before, tables_before = raw_snapshot(sources_home), table_checksums(sources_home)
    assert run_cli("--home", str(sources_home.root), "pull", "kiel-ust", "--from", url) == 4
    err = capsys.readouterr().err
    assert f"could not fetch {url}" in err
    assert ("HTTP 404" in err) if path else ("refused" in err.lower())
    assert raw_snapshot(sources_home) == raw_before
    assert table_checksums(sources_home) == tables_before


def test_sources_lists_each_format_with_its_current_release(sources_home: Home, capsys):
    capsys.readouterr()
    assert run_cli("--home", str(sources_home.root), "sources") == 0
    out = capsys.readouterr().out
    for name in ("kiel-ust", "crea-values", "crea-shipments", "us-foreign-assistance", "gsdb"):
        assert f"\n{name}\n" in f"\n{out}"
    assert "NLD: raw/sources/crea-shipments/" in out
    kiel = out[out.index("\nkiel-ust\n"):].split("\n\n")[0]
    assert "url:        https://raw.githubusercontent.com/UkraineSupportTrackerWebsite/" in kiel
    assert "last pull:  " in kiel and "never" not in kiel.split("last pull:")[1].splitlines()[0]
    assert "current:    raw/sources/kiel-ust/" in kiel


def test_a_newer_release_supersedes_the_older_one(sources_home: Home, tmp_path: Path):
    home = copy_home(sources_home, tmp_path / "home")
    lines = KIEL.read_text(encoding="utf-8").splitlines(keepends=True)
    revised = tmp_path / "data_explorer.csv"
    revised.write_text("".join([lines[0], *(line for line in lines[1:] if '"DEU"' not in line)]), encoding="utf-8")
    assert run_cli("--home", str(home.root), "ingest", str(revised), "--as-of", "2026-09-01") == 0
    assert q(home, "SELECT count(*) FROM marts.fct_pledges WHERE donor = 'DEU' AND pledge_id LIKE 'kiel-ust:%'") \
        == [(0,)]
    assert q(home, "SELECT count(DISTINCT source_file) FROM raw.pledges WHERE source_file LIKE 'raw/sources/%'") \
        == [(2,)]
    france = sum(Decimal(r["military"]) for r in rows_of(KIEL) if r["iso"] == "FRA") * 10**9
    loaded = q(home, "SELECT sum(amount_eur) FROM marts.fct_pledges "
                     "WHERE donor = 'FRA' AND category = 'military' AND pledge_id LIKE 'kiel-ust:%'")[0][0]
    assert loaded == pytest.approx(float(france), rel=1e-9)
    assert (home.raw / "sources" / "kiel-ust" / "2026-09-01_data_explorer.csv").is_file()


def test_deleting_the_warehouse_and_refreshing_maps_every_release_again(sources_home: Home, tmp_path: Path):
    home = copy_home(sources_home, tmp_path / "home")
    before = table_checksums(home, ("raw", "ref", "marts"), exclude=("loaded_at",))
    home.warehouse.unlink()
    assert run_cli("--home", str(home.root), "refresh") == 0
    assert table_checksums(home, ("raw", "ref", "marts"), exclude=("loaded_at",)) == before


def test_strict_rejects_a_file_with_skipped_rows_and_changes_nothing(sources_home: Home, tmp_path: Path, capsys):
    home = copy_home(sources_home, tmp_path / "home")
    raw_before, tables_before = raw_snapshot(home), table_checksums(home, ("raw", "marts"))
    capsys.readouterr()
    assert run_cli("--home", str(home.root), "ingest", str(GSDB), "--as-of", "2026-01-01", "--strict") == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "'South Vietnam'" in out
    assert raw_snapshot(home) == raw_before
    assert table_checksums(home, ("raw", "marts")) == tables_before


def test_a_file_of_no_format_and_no_dataset_names_the_closest_format(built_home: Home, tmp_path: Path, capsys):
    odd = tmp_path / "downloads" / "explorer.csv"
    odd.parent.mkdir()
    odd.write_text("country,iso,year,month,total\nGermany,DEU,2022,3,1.5\n", encoding="utf-8")
    assert run_cli("--home", str(built_home.root), "ingest", str(odd)) == 2
    err = capsys.readouterr().err
    assert "closest format: kiel-ust" in err and "financial" in err and "pass --source NAME" in err


def test_the_dagster_pull_asset_stores_a_new_release_once(built_home: Home, tmp_path: Path, monkeypatch):
    from dagster import AssetKey, DagsterInstance

    from orchestration.definitions import build_definitions
    from orchestration.runner import prepare_environment

    home = copy_home(built_home, tmp_path / "home")
    monkeypatch.setenv("PLEDGEWATCH_SOURCE_URL_KIEL_UST", str(KIEL))
    monkeypatch.setenv("PLEDGEWATCH_HOME", str(home.root))
    monkeypatch.setenv("DAGSTER_HOME", str(home.dagster_home))
    prepare_environment(home)
    job = build_definitions(home).resolve_job_def("pull_sources")
    outcomes = []
    for _ in range(2):
        with DagsterInstance.get() as instance:
            result = job.execute_in_process(instance=instance, asset_selection=[AssetKey(["sources", "kiel_ust"])])
        (event,) = result.get_asset_materialization_events()
        outcomes.append(event.materialization.metadata["outcome"].value)
    assert outcomes == ["stored", "unchanged"]
    stored = [p.name for p in (home.raw / "sources" / "kiel-ust").iterdir()]
    assert sorted(stored) == [f"{file_sha256(KIEL)[:12]}_kiel_ust_data_explorer.csv", "releases.csv"]
