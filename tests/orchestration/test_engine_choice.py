"""Which engine builds the models: ``PLEDGEWATCH_ENGINE`` or the Dagster ``engine`` resource (no Java needed)."""

from __future__ import annotations

import pytest

from orchestration.engines import engine
from orchestration.resources import EngineResource


def test_duckdb_is_the_default(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("PLEDGEWATCH_ENGINE", raising=False)
    assert engine() == "duckdb"
    assert EngineResource().chosen() == "duckdb"


def test_the_environment_chooses_spark(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PLEDGEWATCH_ENGINE", " Spark ")
    assert engine() == "spark"
    assert EngineResource().chosen() == "spark"


def test_the_resource_overrides_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PLEDGEWATCH_ENGINE", "spark")
    assert EngineResource(engine="duckdb").chosen() == "duckdb"
    monkeypatch.delenv("PLEDGEWATCH_ENGINE")
    assert EngineResource(engine="spark").chosen() == "spark"


def test_an_unknown_engine_is_refused(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PLEDGEWATCH_ENGINE", "postgres")
    with pytest.raises(ValueError, match="PLEDGEWATCH_ENGINE is one of duckdb, spark"):
        engine()


def test_the_refresh_job_holds_the_spark_step_after_the_publish(tmp_path):
    from dagster import AssetKey

    from ingestion.home import Home
    from orchestration.definitions import build_definitions

    defs = build_definitions(Home(tmp_path))
    graph = defs.resolve_asset_graph()
    assert AssetKey("spark_marts") in graph.get(AssetKey("warehouse")).child_keys
    assert AssetKey("spark_marts") in defs.resolve_job_def("refresh").asset_layer.selected_asset_keys


def test_a_load_with_an_engine_that_cannot_run_is_refused_before_anything_is_loaded(
        monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]):
    from orchestration import engines
    from tests.conftest import run_cli

    monkeypatch.setenv("PLEDGEWATCH_ENGINE", "postgres")
    assert run_cli("--home", str(tmp_path / "home"), "refresh") == 2
    assert "unknown engine 'postgres'" in capsys.readouterr().err
    monkeypatch.setenv("PLEDGEWATCH_ENGINE", "spark")
    monkeypatch.setattr(engines, "spark_unavailable", lambda: "Java (17) is not installed")
    assert run_cli("--home", str(tmp_path / "home"), "ingest", str(tmp_path / "any.csv")) == 2
    assert "PLEDGEWATCH_ENGINE=spark, but Java (17) is not installed" in capsys.readouterr().err
    assert not (tmp_path / "home" / "warehouse.duckdb").exists()
