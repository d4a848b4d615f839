"""The dbt models as assets; dbt tests become asset checks.

Two ways to build them, both dbt's SQL and results:

- **dbt** (``dbt build`` through dagster-dbt): whenever the home has no compiled build of the current
  project (the first build, a changed project or reference data). A run that builds every model
  keeps the manifest dbt wrote, with the SQL it compiled (:func:`orchestration.dbt_compiled.save_compiled`).
- **compiled SQL**: otherwise, the selected tables are rebuilt from that SQL in the run's own
  connection and the selected tests run there (:mod:`orchestration.dbt_compiled`): what a small
  ingest needs in seconds, without starting dbt.
"""

import os
from collections.abc import Iterator, Mapping
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    MaterializeResult,
)
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_compiled import (
    CompiledProject,
    CompiledProjectError,
    compiled_project,
    require_relations,
    run_models,
    run_tests,
    save_compiled,
)
from orchestration.dbt_manifest import DBT_ENV, dbt_project, ensure_manifest
from orchestration.resources import WarehouseResource

UNIQUE_ID = "dagster_dbt/unique_id"


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
    project=dbt_project(),
    dagster_dbt_translator=PledgewatchTranslator(
        settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)),
)
def pledgewatch_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Build (run + test) the selected dbt models in the run's working copy of the warehouse."""
    home = warehouse.paths
    compiled = compiled_project(home)
    if compiled is not None:
        try:  # every result first: a node that fails leaves dbt to build them all, each reported once
            results = list(_from_compiled_sql(context, compiled, warehouse))
        except CompiledProjectError as exc:
            context.log.warning(f"{exc}: building with dbt instead")
        else:
            yield from results
            return
    warehouse.close()  # dbt's own process opens the working copy
    os.environ.update(DBT_ENV)
    os.environ["PLEDGEWATCH_DB_PATH"] = str(warehouse.build_path)
    home.dbt_target.mkdir(parents=True, exist_ok=True)
    invocation = dbt.cli(["build"], context=context, target_path=home.dbt_target)
    yield from invocation.stream()
    if invocation.is_successful() and _everything_selected(context):
        save_compiled(home, home.dbt_target / "manifest.json")


def _everything_selected(context: AssetExecutionContext) -> bool:
    assets_def = context.assets_def
    return set(context.selected_asset_keys) == set(assets_def.keys) and set(
        context.selected_asset_check_keys) == set(assets_def.check_keys)


def _from_compiled_sql(context: AssetExecutionContext, compiled: CompiledProject,
                       warehouse: WarehouseResource) -> Iterator[MaterializeResult | AssetCheckResult]:
    """The selected models and tests from the compiled SQL of the last full build, in the run's connection."""
    assets_def = context.assets_def
    key_of: dict[str, AssetKey] = {}
    for spec in assets_def.specs:
        key_of[spec.metadata[UNIQUE_ID]] = spec.key
    selected = [spec.metadata[UNIQUE_ID] for spec in assets_def.specs if spec.key in context.selected_asset_keys]
    checks = {spec.metadata[UNIQUE_ID]: spec for spec in assets_def.check_specs
              if spec.key in context.selected_asset_check_keys}
    models = [uid for uid in selected if compiled.nodes.get(uid, {}).get("resource_type") == "model"]
    with warehouse.connect() as con:
        require_relations(con, compiled)
        for uid in selected:
            if uid not in models:  # a seed: unchanged since the full build that loaded it
                yield MaterializeResult(asset_key=key_of[uid], metadata={"built_with": "unchanged seed"})
        for result in run_models(con, compiled, models):
            metadata: dict[str, Any] = {"built_with": "compiled SQL of the last full dbt build",
                                        "seconds": round(result.seconds, 3)}
            if result.rows is not None:
                metadata["rows"] = result.rows
            else:
                metadata["note"] = result.message
            yield MaterializeResult(asset_key=key_of[result.unique_id], metadata=metadata)
        for result in run_tests(con, compiled, sorted(checks)):
            spec = checks[result.unique_id]
            yield AssetCheckResult(
                asset_key=spec.asset_key, check_name=spec.name, passed=result.status != "fail",
                severity=AssetCheckSeverity.WARN if result.status == "warn" else AssetCheckSeverity.ERROR,
                metadata={"failures": result.failures, "seconds": round(result.seconds, 3)},
            )
