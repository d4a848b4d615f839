"""The dbt models as assets; dbt tests become asset checks."""


import os
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_manifest import DBT_ENV, ensure_manifest
from orchestration.resources import WarehouseResource

#: dbt sources written by another dataset's load asset: source (schema, table) -> the asset that writes it.
SIDE_TABLE_WRITERS = {("raw", "pledge_commitments"): AssetKey(["raw", "pledges"])}


class PledgewatchTranslator(DagsterDbtTranslator):
    """Groups models by their layer folder (staging, intermediate, marts); side tables belong to their load."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props.get("resource_type") == "source":
            writer = SIDE_TABLE_WRITERS.get((dbt_resource_props["source_name"], dbt_resource_props["name"]))
            if writer is not None:
                return writer
        return super().get_asset_key(dbt_resource_props)

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
