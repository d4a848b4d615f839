"""One asset per dataset load (``raw/<dataset>``), plus the reference data."""


import json
import re
from dataclasses import asdict
from datetime import date
from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Config,
    MaterializeResult,
    MetadataValue,
    asset,
    multi_asset,
)

from ingestion.contracts import Dataset
from ingestion.datasets import DATASETS
from ingestion.sync import SyncReport, sync_dataset
from ingestion.validation.gate import CheckOutcome, validate_table
from ingestion.validation.suites import build_expectations
from orchestration.resources import WarehouseResource

REFERENCE_KEYS = (AssetKey(["ref", "countries"]), AssetKey(["ref", "bloc_members"]))


class LoadConfig(Config):
    """Files to ingest into the dataset before loading its folder (validated, stored if accepted)."""

    incoming: list[str] = []  # noqa: RUF012 (pydantic copies defaults)


def write_report(warehouse: WarehouseResource, report: SyncReport) -> Path:
    """Save a dataset's load report under ``runs/<run_id>/`` for the CLI and ``status``."""
    folder = warehouse.paths.runs / warehouse.run_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report.dataset}.json"
    records = [
        {**{k: v for k, v in asdict(r).items() if k != "problems"},
         "problems": [asdict(p) for p in r.problems]}
        for r in report.records
    ]
    path.write_text(json.dumps({"dataset": report.dataset, "records": records}, indent=1), encoding="utf-8")
    return path


def _problems_markdown(report: SyncReport, limit: int = 20) -> str:
    lines = []
    for record in report.rejected:
        lines.append(f"**{record.source_file}**: {len(record.problems)} problem(s)")
        lines.extend(f"- {p.as_text()}" for p in record.problems[:limit])
    return "\n".join(lines) or "none"


def check_name(meta: dict) -> str:
    """The Dagster check name of a suite expectation, from its check and column."""
    column = "" if meta["column"].startswith("(") else meta["column"]
    return re.sub(r"[^a-z0-9_]+", "_", f"gx_{meta['check']}_{column}".lower()).strip("_")


def suite_check_specs(dataset: Dataset, key: AssetKey) -> list[AssetCheckSpec]:
    """One blocking asset check per expectation of the dataset's Great Expectations suite."""
    return [
        AssetCheckSpec(
            name=check_name(e.meta), asset=key, blocking=True,
            description=f"Great Expectations: {e.meta['reason']} ({e.meta['column']})".replace(
                "{first_row}", "N").replace("{length}", "N"),
        )
        for e in build_expectations(dataset, date.today())
    ]


def check_results(outcomes: list[CheckOutcome], files: list[str] | None = None) -> list[AssetCheckResult]:
    """Asset check results with the counts and a sample of unexpected values, for the rows of ``files``."""
    results = []
    for outcome in outcomes:
        sample = [{"source_row": r, "value": None if v is None else str(v)} for r, v, _f in outcome.rows[:10]]
        results.append(AssetCheckResult(
            check_name=check_name(outcome.meta),
            passed=outcome.success,
            severity=AssetCheckSeverity.ERROR,
            metadata={
                "unexpected_count": outcome.unexpected_count,
                "unexpected_sample": MetadataValue.json(sample),
                "expectation": outcome.expectation,
                "files_checked": MetadataValue.json(files) if files is not None else "all committed rows",
            },
        ))
    return results


def build_load_asset(dataset: Dataset) -> AssetsDefinition:
    """The asset that syncs ``raw/<dataset>/`` into ``raw.<dataset>``, with its suite as checks."""
    key = AssetKey(["raw", dataset.name])

    @asset(
        key=key,
        group_name="ingest",
        description=f"{dataset.description} Loaded from raw/{dataset.name}/ (new, changed and removed files); "
        "every file is validated by the dataset's Great Expectations suite before it is committed.",
        deps=list(REFERENCE_KEYS),
        kinds={"polars", "duckdb"},
        check_specs=suite_check_specs(dataset, key),
    )
    def _load(context: AssetExecutionContext, config: LoadConfig, warehouse: WarehouseResource):
        with warehouse.connect() as con:
            report = sync_dataset(
                con, warehouse.paths, dataset.name, run_id=context.run_id,
                incoming=[Path(p) for p in config.incoming], progress=context.log.info,
            )
            rows = con.execute(f"SELECT count(*) FROM raw.{dataset.name}").fetchone()[0]
            files = con.execute(
                "SELECT count(*) FROM meta.file_registry WHERE dataset = ?", [dataset.name]
            ).fetchone()[0]
        write_report(warehouse, report)
        for record in report.rejected:
            context.log.warning(f"rejected {record.source_file}: {len(record.problems)} problem(s)")
        yield MaterializeResult(metadata={
            "rows": rows,
            "files": files,
            "files_loaded": len(report.by_outcome("loaded")),
            "files_unchanged": len(report.by_outcome("unchanged")),
            "files_removed": len(report.by_outcome("removed")),
            "files_rejected": len(report.rejected),
            "rejections": MetadataValue.md(_problems_markdown(report)),
        })
        committed = [r.source_file for r in report.by_outcome("loaded")]
        outcomes = validate_table(warehouse.build_path, dataset, gx_dir=warehouse.paths.gx, today=date.today(),
                                  source_files=committed)
        yield from check_results(outcomes, committed)

    return _load


@multi_asset(
    specs=[
        AssetSpec(
            REFERENCE_KEYS[0], group_name="ingest", kinds={"duckdb"},
            description="Countries, blocs, regions and organisations (ISO 3166 + reviewed entries).",
        ),
        AssetSpec(REFERENCE_KEYS[1], description="Dated bloc membership, each row with its source.",
                  group_name="ingest", kinds={"duckdb"}),
    ],
)
def reference_data(warehouse: WarehouseResource):
    """Load the reviewed reference data (ingestion/reference/) into schema ``ref``."""
    from ingestion.load import load_reference

    with warehouse.connect() as con:
        counts = load_reference(con)
    for key in REFERENCE_KEYS:
        yield MaterializeResult(asset_key=key, metadata={"rows": counts[".".join(key.path)]})


load_assets = [build_load_asset(d) for d in DATASETS.values()]
