"""The Dagster definitions load, and show the lineage from files to marts."""

from __future__ import annotations

import os

from dagster import AssetKey, Definitions, build_sensor_context

from ingestion.home import Home
from orchestration.definitions import build_definitions
from orchestration.jobs import raw_fingerprint


def test_definitions_load_with_jobs_schedule_and_sensor(tmp_path):
    defs = build_definitions(Home(tmp_path))
    Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("refresh") is not None
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 6 * * *"
    assert defs.resolve_sensor_def("raw_files_sensor") is not None


def test_lineage_runs_from_each_dataset_load_through_dbt_to_the_published_warehouse(tmp_path):
    graph = build_definitions(Home(tmp_path)).resolve_asset_graph()
    upstream = graph.get(AssetKey(["staging", "stg_pledges"])).parent_keys
    assert AssetKey(["raw", "pledges"]) in upstream
    assert AssetKey(["ref", "countries"]) in graph.get(AssetKey(["raw", "pledges"])).parent_keys
    ancestors = graph.upstream_key_iterator(AssetKey("warehouse"))
    keys = set(ancestors)
    for dataset in ("pledges", "oil_imports", "aid_changes", "positions", "sanctions"):
        assert AssetKey(["raw", dataset]) in graph.get_ancestor_asset_keys(AssetKey(["marts", "country_issue"]))
    assert AssetKey(["marts", "country_scorecard"]) in keys


def test_dbt_tests_are_asset_checks(tmp_path):
    graph = build_definitions(Home(tmp_path)).resolve_asset_graph()
    checks = {c.name for c in graph.asset_check_keys if c.asset_key == AssetKey(["marts", "fct_pledges"])}
    assert "unique_fct_pledges_pledge_id" in checks
    assert "holds_latest_report_fct_pledges_pledge_id__ref_fct_pledge_reports_" in checks


def test_sensor_requests_a_refresh_only_when_raw_changes(tmp_path):
    home = Home(tmp_path)
    (home.raw / "positions").mkdir(parents=True)
    sensor = build_definitions(home).resolve_sensor_def("raw_files_sensor")
    first = sensor.evaluate_tick(build_sensor_context())
    assert len(first.run_requests) == 1  # no warehouse yet: build it
    cursor = first.cursor
    again = sensor.evaluate_tick(build_sensor_context(cursor=cursor))
    assert again.run_requests == []
    extract = home.raw / "positions" / "new.csv"
    extract.write_text("stated_on,country,issue,stance\n2025-09-04,France,troop_deployment,support\n")
    changed = sensor.evaluate_tick(build_sensor_context(cursor=cursor))
    assert len(changed.run_requests) == 1
    assert changed.run_requests[0].run_key == raw_fingerprint(home.raw)
    os.utime(extract, ns=(1, 1))
    assert sensor.evaluate_tick(build_sensor_context(cursor=changed.cursor)).run_requests


def test_raw_fingerprint_ignores_hidden_files(tmp_path):
    (tmp_path / "pledges").mkdir()
    before = raw_fingerprint(tmp_path)
    (tmp_path / "pledges" / ".x.partial").write_text("x")
    assert raw_fingerprint(tmp_path) == before


def test_each_dataset_load_has_blocking_checks_from_its_suite(tmp_path):
    defs = build_definitions(Home(tmp_path))
    graph = defs.resolve_asset_graph()
    pledges = AssetKey(["raw", "pledges"])
    names = {c.name for c in graph.asset_check_keys if c.asset_key == pledges}
    assert {"gx_required_donor", "gx_enum_category", "gx_min_value_amount", "gx_unique_id_pledge_id",
            "gx_unique_row", "gx_currency_with_amount_currency", "gx_not_future_announced_on"} <= names
    specs = list(defs.resolve_assets_def(pledges).check_specs)
    assert len(specs) == len(names) and all(s.blocking for s in specs)


def test_dagster_cli_loads_the_code_location(tmp_path):
    """What `dagster dev` (and so `pledgewatch ui`) loads, checked by Dagster's own CLI."""
    import subprocess
    import sys
    from pathlib import Path

    dagster = Path(sys.executable).parent / "dagster"
    env = {**os.environ, "PLEDGEWATCH_HOME": str(tmp_path), "DAGSTER_HOME": str(tmp_path)}
    done = subprocess.run([str(dagster), "definitions", "validate", "-m", "orchestration.definitions"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "All code locations passed validation" in done.stdout + done.stderr
