"""The dbt models as assets; dbt tests become asset checks."""


import os
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_manifest import DBT_ENV, ensure_manifest
from orchestration.resources import WarehouseResource


class PledgewatchTranslator(DagsterDbtTranslator):
    """Groups models by their layer folder (staging, intermediate, marts).

    Tables a load writes besides its own (side tables, list history) name their asset in
    ``_sources.yml`` (``meta.dagster.asset_key``), which dagster-dbt honours.
    """

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "model" and len(fqn) > 2:
            return fqn[1]
        return super().get_group_name(dbt_resource_props)


@dbt_assets(
    manifest=ensure_manifest(),
    dagster_dbt_translator=PledgewatchTranslator(
        settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)),
)
def pledgewatch_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Build (run + test) the dbt models in the run's working copy of the warehouse."""
    os.environ.update(DBT_ENV)
    os.environ["PLEDGEWATCH_DB_PATH"] = str(warehouse.build_path)
    target = warehouse.paths.dbt_target
    target.mkdir(parents=True, exist_ok=True)
    yield from dbt.cli(["build"], context=context, target_path=target).stream()
