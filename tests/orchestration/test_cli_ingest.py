"""`pledgewatch ingest` and `refresh` on a copy of the built warehouse: loads, rejections, identity."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ingestion.home import Home
from tests.conftest import FIXTURES, copy_home, query_home, raw_snapshot, run_cli, table_checksums

OIL = FIXTURES / "synthetic_oil_imports_routes.csv"


def figures(home: Home, country: str) -> dict[str, float]:
    rows = query_home(
        home,
        "SELECT figure, value FROM marts.country_issue_figures WHERE country = ? AND issue = 'russian_oil_purchases'",
        [country],
    )
    return dict(rows)


def test_oil_figures_by_route_over_the_importers_latest_12_months(home: Home):
    assert run_cli("--home", str(home.root), "ingest", str(OIL), "--dataset", "oil_imports") == 0

    hun = figures(home, "HUN")
    assert hun["tonnes_12m_direct"] == pytest.approx(12 * 100_000)  # 2024-10 .. 2025-09, not 2024-08/09
    assert hun["tonnes_12m_via_third_country"] == pytest.approx(5_000)
    assert hun["tonnes_12m_unspecified"] is None  # no row of an unsplit route: not measured, not 0
    assert hun["value_eur_12m_direct"] == pytest.approx(12 * 50_000_000)
    nld = figures(home, "NLD")
    assert nld["tonnes_12m_direct"] == pytest.approx(6_000)
    assert nld["tonnes_12m_via_third_country"] == pytest.approx(700)
    assert nld["tonnes_12m_unspecified"] is None  # 2024-01 lies outside NLD's window (2024-04 .. 2025-03)
    assert nld["value_eur_12m_direct"] is None  # tonnes only: the value is not measured
    coverage = dict(query_home(home, "SELECT figure, coverage FROM marts.country_issue_figures "
                                     "WHERE country = 'NLD' AND figure LIKE 'tonnes%'"))
    assert coverage == {"tonnes_12m_direct": "partial", "tonnes_12m_via_third_country": "partial",  # 3 of 12 months
                        "tonnes_12m_unspecified": "not measured by any loaded source"}
    period = query_home(
        home, "SELECT period_from, period_to FROM marts.country_issue_figures "
        "WHERE country = 'HUN' AND figure = 'tonnes_12m_direct'",
    )
    assert period == [(date(2024, 10, 1), date(2025, 9, 30))]
    scorecard = query_home(
        home, "SELECT russian_oil_tonnes_12m_direct, russian_oil_tonnes_12m_via_third_country "
        "FROM marts.country_scorecard WHERE country = 'HUN'",
    )
    assert scorecard == [(pytest.approx(1_200_000), pytest.approx(5_000))]
    # the USD value of the via-India row is converted at the ECB rate of 2025-09-01
    usd = query_home(home, "SELECT value_usd, value_eur, via_country FROM marts.fct_oil_imports WHERE currency = 'USD'")
    assert usd[0][0] == 3_000_000 and usd[0][2] == "IND"
    assert usd[0][1] == pytest.approx(3_000_000 / 1.1715, rel=1e-6)  # EUR/USD 1.1715 on 2025-09-01 (ECB)
    assert (home.raw / "oil_imports" / OIL.name).read_bytes() == OIL.read_bytes()


def test_ingesting_the_same_file_twice_changes_nothing(home: Home, tmp_path):
    extract = tmp_path / "pledges_extra.csv"
    extract.write_text(
        "pledge_id,announced_on,donor,category,amount,currency,status,source_name\n"
        "t-1,2025-09-04,Germany,military,1.5bn,EUR,committed,synthetic test fixture\n",
        encoding="utf-8",
    )
    assert run_cli("--home", str(home.root), "ingest", str(extract), "--dataset", "pledges") == 0
    before = table_checksums(home, ("raw", "ref", "marts", "meta"))
    raw_before = raw_snapshot(home)
    assert run_cli("--home", str(home.root), "ingest", str(extract), "--dataset", "pledges") == 0
    assert table_checksums(home, ("raw", "ref", "marts", "meta")) == before
    assert raw_snapshot(home) == raw_before
    assert query_home(home, "SELECT amount_eur, status FROM marts.fct_pledges WHERE pledge_id = 't-1'") == [
        (1.5e9, "committed")
    ]


def test_a_rejected_file_changes_no_data_table_and_is_not_stored(home: Home, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "announced_on,donor,category,amount,currency\n"
        "2025-09-04,Germny,military,100,EUR\n"
        "2025-09-04,France,tanks,-5,EUR\n",
        encoding="utf-8",
    )
    before = table_checksums(home)
    raw_before = raw_snapshot(home)
    log_before = query_home(home, "SELECT count(*) FROM meta.load_log")[0][0]
    capsys.readouterr()

    assert run_cli("--home", str(home.root), "ingest", str(bad), "--dataset", "pledges") == 1

    out = capsys.readouterr().out
    assert f"{bad}:1: column donor value 'Germny': unknown country or bloc (did you mean 'Germany'" in out
    assert f"{bad}:2: column category value 'tanks': unknown category value" in out
    assert f"{bad}:2: column amount value '-5': must be >= 0" in out
    assert table_checksums(home) == before
    assert raw_snapshot(home) == raw_before
    log = query_home(home, "SELECT outcome, problem_count, source_file FROM meta.load_log ORDER BY finished_at")
    assert len(log) == log_before + 1
    assert log[-1] == ("rejected", 3, "raw/pledges/bad.csv")


def test_a_file_that_turned_invalid_keeps_its_last_good_rows_until_fixed(home: Home, capsys):
    seed = home.raw / "positions" / "seed_coalition_summit_2025-09-04.csv"
    good = seed.read_bytes()
    seed.write_bytes(good.replace(b",troop_deployment,limited,", b",troop_deployment,maybe,", 1))
    capsys.readouterr()

    assert run_cli("--home", str(home.root), "refresh") == 1

    assert "unknown stance value" in capsys.readouterr().out
    assert query_home(home, "SELECT count(*) FROM raw.positions")[0][0] == 24
    assert query_home(home, "SELECT source_sha256 FROM meta.file_registry WHERE dataset = 'positions'")[0][0] != ""
    # a rebuild from raw/ leaves the invalid file out
    home.warehouse.unlink()
    assert run_cli("--home", str(home.root), "refresh") == 1
    assert query_home(home, "SELECT count(*) FROM raw.positions")[0][0] == 0
    assert query_home(home, "SELECT count(*) FROM raw.pledges")[0][0] == 5


def test_removed_file_loses_its_rows_and_a_new_version_replaces_them(home: Home):
    sanctions = home.raw / "sanctions" / "seed_coalition_summit_2025-09-04.csv"
    shutil.move(sanctions, home.root / "parked.csv")
    assert run_cli("--home", str(home.root), "refresh") == 0
    assert query_home(home, "SELECT count(*) FROM marts.fct_sanctions")[0][0] == 0
    assert query_home(home, "SELECT outcome FROM meta.load_log WHERE dataset = 'sanctions' "
                            "ORDER BY finished_at DESC LIMIT 1") == [("removed",)]

    lines = (home.root / "parked.csv").read_text(encoding="utf-8").splitlines()
    sanctions.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")  # header + first measure only
    assert run_cli("--home", str(home.root), "refresh") == 0
    assert query_home(home, "SELECT count(*) FROM marts.fct_sanctions")[0][0] == 1


def test_deleting_the_warehouse_and_refreshing_rebuilds_the_same_tables(home: Home):
    before = table_checksums(home, ("raw", "ref", "marts"), exclude=("loaded_at",))
    assert query_home(home, "SELECT count(*) FROM marts.fct_positions")[0][0] == 24
    home.warehouse.unlink()
    assert run_cli("--home", str(home.root), "refresh") == 0
    assert table_checksums(home, ("raw", "ref", "marts"), exclude=("loaded_at",)) == before


@pytest.mark.parametrize("sql", [
    "INSERT INTO marts.dim_country VALUES ('XXX', 'x', 'country', NULL, false, false, false, NULL)",
    "CREATE TABLE marts.evil AS SELECT 1",
    "DROP TABLE marts.fct_positions",
    "ATTACH '/tmp/other.duckdb' AS other",
    "COPY marts.fct_positions TO '/tmp/leak.csv'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "INSTALL httpfs",
    "SET enable_external_access = true",
])
def test_query_refuses_writes_and_outside_access(built_home: Home, sql: str, capsys):
    before = table_checksums(built_home)
    code = run_cli("--home", str(built_home.root), "query", sql)
    err = capsys.readouterr().err
    assert code == 2
    assert "query refused" in err or "query failed" in err
    assert table_checksums(built_home) == before


def test_query_prints_csv_and_json(built_home: Home, capsys):
    sql = "SELECT country, stance FROM marts.country_issue WHERE country = 'DEU' AND issue = 'troop_deployment'"
    assert run_cli("--home", str(built_home.root), "query", sql, "--format", "csv") == 0
    assert capsys.readouterr().out == "country,stance\nDEU,limited\n"
    assert run_cli("--home", str(built_home.root), "query", sql, "--format", "json") == 0
    assert '"stance": "limited"' in capsys.readouterr().out


def test_status_lists_files_with_rows_and_sha256(built_home: Home, capsys):
    assert run_cli("--home", str(built_home.root), "status") == 0
    out = capsys.readouterr().out
    assert "raw/positions/seed_coalition_summit_2025-09-04.csv  24 rows  sha256 " in out
    assert "last run:" in out and "succeeded" in out


def test_usage_errors_exit_2(built_home: Home, tmp_path, capsys):
    stray = tmp_path / "somewhere" / "x.csv"
    stray.parent.mkdir()
    stray.write_text("a\n1\n", encoding="utf-8")
    assert run_cli("--home", str(built_home.root), "ingest", str(stray)) == 2
    assert "its folder 'somewhere' is not a dataset; pass --source NAME or --dataset NAME" in capsys.readouterr().err
    assert run_cli("--home", str(built_home.root), "ingest", str(tmp_path / "missing.csv"),
                   "--dataset", "pledges") == 2
    assert run_cli("--home", str(tmp_path / "empty-home"), "query", "SELECT 1") == 2
    assert "pledgewatch refresh" in capsys.readouterr().err


def test_a_failed_dbt_test_keeps_the_previous_marts_and_exits_1(home: Home, tmp_path, capsys):
    first = tmp_path / "first.csv"
    first.write_text("pledge_id,announced_on,donor,category\nP-1,2025-09-01,Germany,military\n", encoding="utf-8")
    assert run_cli("--home", str(home.root), "ingest", str(first), "--dataset", "pledges") == 0
    before = table_checksums(home, ("raw", "ref", "marts", "meta"))
    # a second file reuses the id for another donor: each file is valid, together they contradict
    second = tmp_path / "second.csv"
    second.write_text("pledge_id,announced_on,donor,category\nP-1,2025-09-02,France,military\n", encoding="utf-8")
    capsys.readouterr()

    assert run_cli("--home", str(home.root), "ingest", str(second), "--dataset", "pledges") == 1

    out = capsys.readouterr().out
    assert "FAILED" in out and "reports_keep_their_parties_fct_pledge_reports_pledge_id__donor__recipient" in out
    assert table_checksums(home, ("raw", "ref", "marts", "meta")) == before
    assert query_home(home, "SELECT donor FROM marts.fct_pledges WHERE pledge_id = 'P-1'") == [("DEU",)]


def test_a_rejected_file_is_quarantined_beside_its_error_report(home: Home, tmp_path):
    bad = tmp_path / "late.csv"
    bad.write_text("stated_on,country,issue,stance\n2099-01-01,France,troop_deployment,support\n", encoding="utf-8")
    assert run_cli("--home", str(home.root), "ingest", str(bad), "--dataset", "positions") == 1
    (copy,) = (home.quarantine / "positions").glob("*_late.csv")
    assert copy.read_bytes() == bad.read_bytes()
    report = copy.with_name(copy.name + ".errors.csv").read_text(encoding="utf-8").splitlines()
    assert report[0] == "file,row,column,value,check,reason"
    assert report[1].startswith(f"{bad},1,stated_on,2099-01-01,not_future,lies more than 31 days in the future")


def test_validate_reports_without_touching_the_home(built_home: Home, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("stated_on,country,issue,stance\n2025-09-04,Poland,troop_deployment,limited\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("stated_on,country,issue,stance\n2025-09-04,Polnd,troops,limited\n", encoding="utf-8")
    before = table_checksums(built_home, ("raw", "ref", "marts", "meta"))
    raw_before = raw_snapshot(built_home)

    assert run_cli("--home", str(built_home.root), "validate", str(good), "--dataset", "positions") == 0
    assert f"valid     {good}: 1 rows of positions" in capsys.readouterr().out
    assert run_cli("--home", str(built_home.root), "validate", str(good), str(bad), "--dataset", "positions") == 1
    out = capsys.readouterr().out
    assert f"{bad}:1: column country value 'Polnd': unknown country or bloc (did you mean 'Poland'" in out
    assert f"{bad}:1: column issue value 'troops': unknown issue value" in out
    assert table_checksums(built_home, ("raw", "ref", "marts", "meta")) == before
    assert raw_snapshot(built_home) == raw_before


def test_status_names_the_data_docs_site(built_home: Home, capsys):
    assert run_cli("--home", str(built_home.root), "status") == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("data docs: "))
    index = line.removeprefix("data docs: ").split(" (built ")[0]
    assert index.endswith("index.html") and (built_home.root / "gx") in Path(index).parents
    assert Path(index).exists()


def test_a_file_read_in_batches_loads_the_rows_and_figures_of_the_file_read_whole(built_home: Home, tmp_path,
                                                                                   monkeypatch, capsys):
    from ingestion import readers

    whole = copy_home(built_home, tmp_path / "whole")
    assert run_cli("--home", str(whole.root), "ingest", str(OIL), "--dataset", "oil_imports") == 0
    monkeypatch.setattr(readers, "BATCH_ROWS", 3)  # the fixture's rows in several batches, spilled to Parquet
    batched = copy_home(built_home, tmp_path / "batched")
    assert run_cli("--home", str(batched.root), "validate", str(OIL), "--dataset", "oil_imports") == 0
    rows = len(OIL.read_text(encoding="utf-8").splitlines()) - 1
    assert f"valid     {OIL}: {rows} rows of oil_imports" in capsys.readouterr().out
    assert run_cli("--home", str(batched.root), "ingest", str(OIL), "--dataset", "oil_imports") == 0

    loaded = ("SELECT * EXCLUDE (loaded_at) FROM raw.oil_imports ORDER BY source_file, load_row")
    assert len(query_home(batched, loaded)) == rows
    assert query_home(batched, loaded) == query_home(whole, loaded)
    figures_sql = "SELECT * FROM marts.country_issue_figures ORDER BY ALL"
    assert query_home(batched, figures_sql) == query_home(whole, figures_sql)
    assert not batched.prepared.exists() or not any(batched.prepared.iterdir()), "the hand-over is cleared"
