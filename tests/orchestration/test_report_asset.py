"""The ``report`` asset: written after every publish, its failure never the publish's."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from dagster import AssetKey

from ingestion.home import Home
from orchestration.definitions import build_definitions
from orchestration.reporting.report import REPORT_NAME
from tests.conftest import query_home, run_cli

SNAPSHOT = ("list_id,imposed_by,as_of,entry_id,name,entity_type,programmes,target\n"
            "report_test_list,GBR,2024-03-31,A,ALPHA TEST LLC,organisation,TEST-PROGRAMME,RUS\n")


def _add_snapshot(home: Home) -> None:
    """A file under raw/ the warehouse does not hold yet: the next refresh loads it and publishes."""
    folder = home.raw / "designations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report_test_list_2024-03-31.csv").write_text(SNAPSHOT, encoding="utf-8")


def _run_records(home: Home, run_id: str) -> tuple[object, list]:
    """The run and its event records, from the home's Dagster instance."""
    from dagster import DagsterInstance

    os.environ["DAGSTER_HOME"] = str(home.dagster_home)
    with DagsterInstance.get() as instance:
        return instance.get_run_by_id(run_id), list(instance.all_logs(run_id))


def _materializations(records: list) -> dict[AssetKey, tuple[int, object]]:
    """Each asset materialized in a run: its position among the run's events, and the event."""
    return {r.dagster_event.asset_key: (i, r.dagster_event) for i, r in enumerate(records)
            if r.dagster_event is not None and r.dagster_event.is_step_materialization}


def test_the_refresh_job_writes_the_report_after_the_warehouse_is_published(tmp_path: Path):
    defs = build_definitions(Home(tmp_path))
    graph = defs.resolve_asset_graph()
    assert graph.get(AssetKey("report")).parent_keys == {AssetKey("warehouse")}
    assert AssetKey("report") in defs.resolve_job_def("refresh").asset_layer.selected_asset_keys
    assert AssetKey("report") in defs.resolve_job_def("pull_sources").asset_layer.selected_asset_keys


def test_a_refresh_writes_the_report_and_records_where(home: Home, capsys):
    _add_snapshot(home)
    assert run_cli("--home", str(home.root), "refresh") == 0
    out = capsys.readouterr().out
    path = home.reports / REPORT_NAME
    assert path.is_file() and path.stat().st_mtime >= home.warehouse.stat().st_mtime
    assert f"report    {path} (" in out
    assert "report_test_list (GBR): one snapshot, of 2024-03-31" in path.read_text(encoding="utf-8")
    summary = json.loads((home.runs / "latest.json").read_text(encoding="utf-8"))
    assert summary["success"] and summary["report"] == str(path) and summary["report_error"] is None
    run, records = _run_records(home, summary["run_id"])
    assert run.is_success
    materialized = _materializations(records)
    assert materialized[AssetKey("report")][0] > materialized[AssetKey("warehouse")][0]  # after the publish
    metadata = materialized[AssetKey("report")][1].materialization.metadata
    assert metadata["path"].value == str(path)
    assert metadata["url"].value == path.as_uri()
    assert metadata["size_bytes"].value == path.stat().st_size
    assert metadata["build_seconds"].value > 0
    assert metadata["chart_rows"].value["heatmap"] == query_home(
        home, "select count(*) from marts.country_issue where stance is not null")[0][0]
    assert metadata["charts_drawn"].value >= 1


def test_a_report_that_fails_leaves_the_published_warehouse_and_the_runs_publish(home: Home, capsys,
                                                                                   monkeypatch: pytest.MonkeyPatch):
    from orchestration.reporting import report

    def broken(*args, **kwargs):
        raise RuntimeError("the report broke (a test)")

    monkeypatch.setattr(report, "write_report", broken)
    path = home.reports / REPORT_NAME
    before = path.read_bytes() if path.exists() else None
    _add_snapshot(home)
    assert run_cli("--home", str(home.root), "refresh") == 0  # the load and the publish did their work
    out = capsys.readouterr().out
    assert "WARNING   the report could not be written (step report failed: RuntimeError: the report broke (a test))" \
        in out
    assert "the warehouse is published all the same" in out
    assert re.search(r"run \w{8} loaded and published: \d+ checks passed; its report step failed", out)
    # the warehouse holds the new file: it was published, and stays so
    assert query_home(home, "select count(*) from marts.fct_designations where list_id = 'report_test_list'") == [(1,)]
    assert not home.build.exists()
    assert (path.read_bytes() if path.exists() else None) == before  # the previous report, untouched
    summary = json.loads((home.runs / "latest.json").read_text(encoding="utf-8"))
    assert summary["success"] and summary["published"] and summary["report"] is None
    assert "the report broke" in summary["report_error"]
    assert "the report broke" in (home.runs / summary["run_id"] / "error.txt").read_text(encoding="utf-8")
    # in Dagster: the warehouse materialized in this run, the report step failed and so did the run
    run, records = _run_records(home, summary["run_id"])
    assert AssetKey("warehouse") in _materializations(records)
    assert AssetKey("report") not in _materializations(records)
    failed = [r.dagster_event.step_key for r in records if r.dagster_event is not None
              and r.dagster_event.is_step_failure]
    assert failed == ["report"]
    assert run.is_failure


def test_a_refresh_with_nothing_to_do_writes_a_missing_report_and_names_a_current_one(home: Home, capsys):
    path = home.reports / REPORT_NAME
    assert path.is_file()  # the refresh that built the home wrote it
    path.unlink()
    assert run_cli("--home", str(home.root), "refresh") == 0
    out = capsys.readouterr().out
    assert "nothing changed" in out and f"report    {path} (" in out and "written now" in out
    written = path.read_bytes()
    assert run_cli("--home", str(home.root), "refresh") == 0
    assert f"report    {path}\n" in capsys.readouterr().out
    assert path.read_bytes() == written
