"""The one Dagster ``Definitions`` of pledgewatch (``dagster dev -m orchestration.definitions``)."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster import Definitions, definitions, in_process_executor
from dagster_dbt import DbtCliResource

from ingestion.home import Home
from orchestration.assets.dbt import pledgewatch_dbt_models
from orchestration.assets.ingest import load_assets, reference_data
from orchestration.assets.publish import published_warehouse
from orchestration.assets.report import report
from orchestration.assets.sources import publisher_specs, pull_assets, pullable_keys
from orchestration.assets.spark import spark_marts
from orchestration.dbt_manifest import dbt_project
from orchestration.jobs import (
    build_pull_job,
    build_raw_files_sensor,
    build_weekly_pull_schedule,
    daily_refresh_schedule,
    refresh_job,
)
from orchestration.resources import EngineResource, WarehouseResource


def build_definitions(home: Home) -> Definitions:
    """Everything Dagster knows, for the warehouse in ``home``."""
    pull_job = build_pull_job(pullable_keys())
    return Definitions(
        assets=[*publisher_specs, *pull_assets, reference_data, *load_assets, pledgewatch_dbt_models,
                published_warehouse, report, spark_marts],
        jobs=[refresh_job, pull_job],
        schedules=[daily_refresh_schedule, build_weekly_pull_schedule(pull_job)],
        sensors=[build_raw_files_sensor(home)],
        resources={
            "warehouse": WarehouseResource(home=str(home.root)),
            # duckdb (the default) or spark: unset, $PLEDGEWATCH_ENGINE decides (orchestration/engines.py)
            "engine": EngineResource(),
            # dbt through a wrapper that dies with this process (orchestration/dbt_child.py)
            "dbt": DbtCliResource(project_dir=dbt_project(),
                                  dbt_executable=str(Path(sys.executable).parent / "pledgewatch-dbt")),
        },
        # One writer at a time: every step runs in the run's own process, in order.
        executor=in_process_executor,
    )


@definitions
def defs() -> Definitions:
    """The definitions ``dagster dev`` loads, for the home of ``$PLEDGEWATCH_HOME`` (else the repo's ``data/``)."""
    return build_definitions(Home.resolve())
