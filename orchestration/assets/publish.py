"""The published warehouse: the run's working copy swapped in once every check passed."""


from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from orchestration.assets.dbt import pledgewatch_dbt_models
from orchestration.resources import WarehouseResource

MART_SCHEMA = "marts"


@asset(
    key=AssetKey("warehouse"),
    group_name="publish",
    deps=list(pledgewatch_dbt_models.keys),
    description="warehouse.duckdb as users query it: replaced atomically only after the loads and every "
    "dbt model and test have succeeded, so nobody ever sees half a refresh.",
    kinds={"duckdb"},
)
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """Swap the run's working copy in as ``warehouse.duckdb``."""
    with warehouse.connect() as con:
        names = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
            "WHERE schema_name IN ('marts', 'raw') ORDER BY 1"
        ).fetchall()
        tables = [(name, con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]) for (name,) in names]
    warehouse.publish()
    context.log.info(f"published {warehouse.paths.warehouse}")
    return MaterializeResult(metadata={name: int(rows) for name, rows in tables})
