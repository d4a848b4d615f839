"""The report a person looks at, written after each publish: ``<home>/reports/report.html``."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.assets.publish import published_warehouse
from orchestration.resources import WarehouseResource

#: The report's asset key (its step, and op, is ``report``).
REPORT_KEY = AssetKey("report")


@asset(
    key=REPORT_KEY,
    group_name="report",
    deps=[published_warehouse],
    description="reports/report.html: the charts of the published marts in one self-contained page that opens "
    "offline (`pledgewatch report` writes the same page on demand). Built after the warehouse is published, "
    "from the published file: a report that fails is this asset's failure only, the warehouse stays published.",
    kinds={"html"},
)
def report(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """Write the report of the warehouse this run has just published; record where, how big, how long, what it drew."""
    from orchestration.reporting.report import write_report

    built = write_report(warehouse.paths, run_id=context.run_id)
    rows = {r.section.key: len(r.data.rows) for r in built.sections}
    lines = ["| chart | rows | drawn |", "| --- | ---: | --- |"]
    lines += [f"| {r.section.title} | {len(r.data.rows):,} | "
              + ("yes" if r.has_chart else f"no: {r.empty_message}".replace("|", "/")) + " |" for r in built.sections]
    context.log.info(f"wrote {built.path} ({built.size_bytes:,} bytes) in {built.seconds:.1f} s")
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(built.path)),
        "url": MetadataValue.url(built.path.as_uri()),
        "size_bytes": MetadataValue.int(built.size_bytes),
        "build_seconds": MetadataValue.float(round(built.seconds, 2)),
        "charts_drawn": MetadataValue.int(sum(1 for r in built.sections if r.has_chart)),
        "chart_rows": MetadataValue.json(rows),
        "charts": MetadataValue.md("\n".join(lines)),
    })
