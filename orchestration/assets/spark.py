"""Spark's build of the models (``PLEDGEWATCH_ENGINE=spark``): after the warehouse is published, the same dbt
models on Spark from the lake it published, into ``<home>/spark/`` (:func:`orchestration.engines.build_home_on_spark`).

With the default engine (DuckDB) the step does nothing and the asset is not materialized. DuckDB's warehouse
is published before this step: a Spark build that fails fails the run, but leaves the published warehouse
(and the previous Spark build) as they were.
"""

from dagster import AssetExecutionContext, AssetKey, Failure, MaterializeResult, asset

from orchestration.resources import EngineResource, WarehouseResource

SPARK_MARTS = AssetKey("spark_marts")


@asset(
    key=SPARK_MARTS,
    group_name="publish",
    deps=[AssetKey("warehouse")],
    output_required=False,
    description="With PLEDGEWATCH_ENGINE=spark (or the engine resource set to spark): every dbt model built on "
    "Spark (dbt-spark, local mode) from the lake the published warehouse wrote, as Parquet under "
    "<home>/spark/warehouse/<schema>.db/<table>/. DuckDB's warehouse stays what query, report and export read.",
    kinds={"spark", "parquet"},
)
def spark_marts(context: AssetExecutionContext, warehouse: WarehouseResource, engine: EngineResource):
    """Build the models on Spark from the published lake, when the Spark engine is chosen."""
    from orchestration.engines import build_home_on_spark, spark_unavailable

    if engine.chosen() != "spark":
        context.log.info("engine duckdb: nothing to build on Spark")
        return
    reason = spark_unavailable()
    if reason:
        raise Failure(f"PLEDGEWATCH_ENGINE=spark, but {reason}; the DuckDB warehouse was published")
    try:
        build = build_home_on_spark(warehouse.paths)
    except RuntimeError as exc:
        raise Failure(f"the build on Spark failed (the DuckDB warehouse was published): {exc}") from exc
    marts = build.folder / "warehouse" / "marts.db"
    names = sorted(p.name for p in marts.iterdir() if p.is_dir()) if marts.is_dir() else []
    context.log.info(f"built {len(names)} marts on Spark in {build.seconds:.0f} s: {marts}")
    yield MaterializeResult(asset_key=SPARK_MARTS, metadata={
        "path": str(marts), "marts": len(names), "seconds": round(build.seconds, 1)})
