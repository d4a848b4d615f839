"""The published warehouse: the run's working copy swapped in once every check passed."""


from dagster import AssetExecutionContext, AssetKey, Failure, MaterializeResult, asset

from orchestration.assets.dbt import pledgewatch_dbt_models
from orchestration.build_state import current_inputs, store_inputs, stored_inputs
from orchestration.publish_checks import build_problems
from orchestration.resources import WarehouseResource


@asset(
    key=AssetKey("warehouse"),
    group_name="publish",
    deps=list(pledgewatch_dbt_models.keys),
    description="warehouse.duckdb as users query it: replaced atomically only after the loads and every "
    "dbt model and test have succeeded, so nobody ever sees half a refresh; a build that lacks a model or "
    "holds fewer rows than its file registry says is never published.",
    kinds={"duckdb"},
)
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """Check the run's working copy is whole, record what it was built from, swap it in as ``warehouse.duckdb``."""
    home = warehouse.paths
    with warehouse.connect() as con:
        problems = build_problems(con)
        if problems:
            raise Failure("refusing to publish an incomplete build: " + "; ".join(problems[:10]) +
                          " (the published warehouse is unchanged; run `pledgewatch refresh --full`)")
        store_inputs(con, current_inputs(home, previous=stored_inputs(con)))
        rows = dict(con.execute(
            "SELECT schema_name || '.' || table_name, estimated_size FROM duckdb_tables() "
            "WHERE schema_name IN ('marts', 'raw') ORDER BY 1").fetchall())
    warehouse.publish()
    context.log.info(f"published {home.warehouse}")
    return MaterializeResult(metadata={name: int(n) for name, n in rows.items()})
