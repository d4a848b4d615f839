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
from ingestion.sources import source_formats
from ingestion.sources.base import SourceOptions
from ingestion.sync import Incoming, SyncReport, sync_dataset
from ingestion.validation.expectations import CheckOutcome, build_expectations
from orchestration.resources import WarehouseResource

REFERENCE_KEYS = (AssetKey(["ref", "countries"]), AssetKey(["ref", "bloc_members"]), AssetKey(["ref", "issues"]),
                  AssetKey(["ref", "programme_families"]))


class IncomingConfig(Config):
    """A file to ingest: an extract (``source`` empty) or a publisher's file with its format and options."""

    path: str
    source: str = ""
    as_of: str = ""
    importer: str = ""
    release: str = ""
    origin: str = ""
    strict: bool = False

    def to_incoming(self) -> Incoming:
        """As the loader takes it."""
        options = SourceOptions.from_stored(self.model_dump())
        return Incoming(Path(self.path), self.source or None, options, self.strict)

    @classmethod
    def of(cls, item: Incoming) -> dict:
        """The run config of a file to ingest."""
        return {"path": str(item.path), "source": item.source or "", **item.options.stored(), "strict": item.strict}


class LoadConfig(Config):
    """Files to ingest into the dataset before loading its folders (validated, stored if accepted)."""

    incoming: list[IncomingConfig] = []  # noqa: RUF012 (pydantic copies defaults)


def write_report(warehouse: WarehouseResource, report: SyncReport) -> Path:
    """Append a dataset's file outcomes (each with its problems or skipped rows) to the run's issue log."""
    from orchestration.runner import issues_log

    path = issues_log(warehouse.paths, warehouse.run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        for record in report.records:
            entry = {"kind": "file", "dataset": report.dataset, "source_file": record.source_file,
                     "outcome": record.outcome, "row_count": record.row_count, "sha256": record.sha256,
                     "problems": [asdict(p) for p in record.problems]}
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        for warning in report.warnings:
            fh.write(json.dumps({"kind": "warning", "dataset": report.dataset, "message": warning}) + "\n")
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
            description=f"Expectation {e.gx_type}: {e.meta['reason']} ({e.meta['column']})".replace(
                "{first_row}", "N").replace("{length}", "N"),
        )
        for e in build_expectations(dataset, date.today())
    ]


def check_results(dataset: Dataset, validated: dict[str, list[CheckOutcome]]) -> list[AssetCheckResult]:
    """One result per suite check over the rows committed in this run, from their validation.

    ``validated`` maps each committed file to the suite's outcomes on exactly the rows that
    were inserted (the frame is validated, then that same frame is committed). A check
    passes when it passed on every file; its metadata carries the total unexpected count
    and a sample of unexpected values with their file and row.
    """
    merged: dict[str, dict] = {
        check_name(e.meta): {"passed": True, "count": 0, "sample": [], "expectation": e.gx_type}
        for e in build_expectations(dataset, date.today())
    }
    for source_file, outcomes in validated.items():
        for outcome in outcomes:
            entry = merged.setdefault(check_name(outcome.meta), {
                "passed": True, "count": 0, "sample": [], "expectation": outcome.expectation,
            })
            entry["passed"] = entry["passed"] and outcome.success
            entry["count"] += outcome.unexpected_count
            entry["sample"].extend(
                {"source_file": source_file, "source_row": r, "value": None if v is None else str(v)}
                for r, v, _f in outcome.rows[: max(0, 10 - len(entry["sample"]))]
            )
    return [
        AssetCheckResult(
            check_name=name,
            passed=entry["passed"],
            severity=AssetCheckSeverity.ERROR,
            metadata={
                "unexpected_count": entry["count"],
                "unexpected_sample": MetadataValue.json(entry["sample"]),
                "expectation": entry["expectation"],
                "files_checked": MetadataValue.json(sorted(validated)),
            },
        )
        for name, entry in merged.items()
    ]


def build_load_asset(dataset: Dataset) -> AssetsDefinition:
    """The asset that syncs ``raw/<dataset>/`` into ``raw.<dataset>``, with its suite as checks."""
    key = AssetKey(["raw", dataset.name])

    @asset(
        key=key,
        group_name="ingest",
        description=f"{dataset.description} Loaded from raw/{dataset.name}/ and the publisher files of its formats "
        "under raw/sources/ (new, changed and removed files); "
        "every file is validated by the dataset's expectation suite (Great Expectations' expectations, run as "
        "SQL) and only the validated rows are committed; the checks report the suite on the rows committed in "
        "the run.",
        deps=[*REFERENCE_KEYS, *(AssetKey(["sources", f.name.replace("-", "_")])
                                 for f in source_formats().values() if f.dataset == dataset.name)],
        kinds={"polars", "duckdb"},
        check_specs=suite_check_specs(dataset, key),
    )
    def _load(context: AssetExecutionContext, config: LoadConfig, warehouse: WarehouseResource):
        with warehouse.connect() as con:
            report = sync_dataset(con, warehouse.paths, dataset.name, run_id=context.run_id,
                                  incoming=[item.to_incoming() for item in config.incoming], progress=context.log.info)
            rows = con.execute(f"SELECT count(*) FROM raw.{dataset.name}").fetchone()[0]
            files = con.execute(
                "SELECT count(*) FROM meta.file_registry WHERE dataset = ?", [dataset.name]
            ).fetchone()[0]
        write_report(warehouse, report)
        for record in report.rejected:
            context.log.warning(f"rejected {record.source_file}: {len(record.problems)} problem(s)")
        for warning in report.warnings:
            context.log.warning(warning)
        yield MaterializeResult(metadata={
            "rows": rows,
            "files": files,
            "files_loaded": len(report.by_outcome("loaded")),
            "files_unchanged": len(report.by_outcome("unchanged")),
            "files_removed": len(report.by_outcome("removed")),
            "files_rejected": len(report.rejected),
            "rejections": MetadataValue.md(_problems_markdown(report)),
        })
        yield from check_results(dataset, report.validated)

    return _load


@multi_asset(
    specs=[
        AssetSpec(
            REFERENCE_KEYS[0], group_name="ingest", kinds={"duckdb"},
            description="Countries, blocs, regions and organisations (ISO 3166 + reviewed entries).",
        ),
        AssetSpec(REFERENCE_KEYS[1], description="Dated bloc membership, each row with its source.",
                  group_name="ingest", kinds={"duckdb"}),
        AssetSpec(REFERENCE_KEYS[2], description="The issues tracked (ingestion/reference/issues.csv): the positions "
                  "contract's issue enum and the country x issue grid.", group_name="ingest", kinds={"duckdb"}),
        AssetSpec(REFERENCE_KEYS[3], description="Sanctions programmes by family (e.g. OFAC's Russia EO 14024, "
                  "Ukraine-related, CAATSA), each with its source: designations figures are counted per family.",
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
