"""Run the refresh job in-process on a home's Dagster instance, for the CLI.

The CLI takes the write lock first (so it can say who holds it and exit 3),
then executes the ``refresh`` job, or the part of it an ingest needs, as a
normal Dagster run: it shows in the UI's run history like any other.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingestion.home import Home
from ingestion.problems import Problem
from ingestion.warehouse import acquire_write_lock, release_write_lock

DAGSTER_YAML = """\
# Written by pledgewatch: the Dagster instance of this warehouse home.
telemetry:
  enabled: false
"""


def prepare_environment(home: Home) -> None:
    """Point Dagster and dbt at ``home`` and switch every usage report off."""
    home.root.mkdir(parents=True, exist_ok=True)
    home.dagster_home.mkdir(parents=True, exist_ok=True)
    config = home.dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["PLEDGEWATCH_HOME"] = str(home.root)
    os.environ["DAGSTER_HOME"] = str(home.dagster_home)
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    os.environ["DAGSTER_DISABLE_TELEMETRY"] = "1"


@dataclass
class FileOutcome:
    """One file's fate in a run, as the CLI reports it."""

    dataset: str
    source_file: str
    outcome: str
    row_count: int
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RunOutcome:
    """What a CLI-triggered run did."""

    run_id: str
    success: bool
    files: list[FileOutcome]
    checks_passed: int
    checks_failed: list[str]
    error: str | None
    published: bool

    @property
    def rejected(self) -> list[FileOutcome]:
        """Files rejected in this run."""
        return [f for f in self.files if f.outcome == "rejected"]


def _read_reports(home: Home, run_id: str) -> list[FileOutcome]:
    folder = home.runs / run_id
    outcomes: list[FileOutcome] = []
    if not folder.is_dir():
        return outcomes
    for path in sorted(folder.glob("*.json")):
        if path.name == "summary.json":
            continue
        report = json.loads(path.read_text(encoding="utf-8"))
        for rec in report["records"]:
            outcomes.append(FileOutcome(
                report["dataset"], rec["source_file"], rec["outcome"], rec["row_count"],
                [Problem(**p) for p in rec["problems"]],
            ))
    return outcomes


def _failure_message(result: Any) -> str | None:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            err = event.step_failure_data.error
            message = err.message.strip()
            cause = err.cause
            while cause is not None:
                message += f"\n  caused by: {cause.message.strip()}"
                cause = cause.cause
            return f"step {event.step_key} failed: {message}"
    if not result.success:
        return "the run failed"
    return None


def downstream_keys(defs: Any, roots: list[Any]) -> list[Any]:
    """``roots`` and every asset that depends on them, directly or not (what an ingest must rebuild)."""
    graph = defs.resolve_asset_graph()
    seen: list[Any] = []
    todo = list(roots)
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.append(key)
        todo.extend(graph.get(key).child_keys)
    return seen


def run_job(home: Home, *, incoming: dict[str, list[Path]] | None = None,
            incoming_sources: dict[str, list[Any]] | None = None,
            datasets: list[str] | None = None, say=print) -> RunOutcome:
    """Execute the refresh job (all of it, or what ``datasets`` need) and report what it did.

    Raises :class:`ingestion.warehouse.WarehouseBusy` when another writer holds the home.
    """
    prepare_environment(home)
    from dagster import AssetKey, DagsterInstance

    from orchestration.definitions import build_definitions

    defs = build_definitions(home)
    job = defs.resolve_job_def("refresh")
    run_config = {
        "loggers": {"console": {"config": {"log_level": os.environ.get("PLEDGEWATCH_LOG_LEVEL", "INFO")}}},
        "ops": {
            f"raw__{name}": {"config": {
                "incoming": [str(p) for p in (incoming or {}).get(name, [])],
                "incoming_sources": [
                    {"path": str(s.path), "source": s.source, "as_of": s.options.as_of.isoformat()
                     if s.options.as_of else "", "importer": s.options.importer or "", "strict": s.strict}
                    for s in (incoming_sources or {}).get(name, [])
                ],
            }}
            for name in sorted({*(incoming or {}), *(incoming_sources or {})})
        }
    }
    selection = None
    if datasets is not None and not _models_missing(home):  # a first build (or a new model) needs every model
        from orchestration.assets.ingest import REFERENCE_KEYS

        loads = [AssetKey(["raw", d]) for d in datasets]
        selection = [*REFERENCE_KEYS, *downstream_keys(defs, loads)]
    acquire_write_lock(home, notify=say, command="pledgewatch")
    try:
        with DagsterInstance.get() as instance:
            started = datetime.now(UTC)
            result = job.execute_in_process(
                run_config=run_config, instance=instance, raise_on_error=False, asset_selection=selection,
            )
    finally:
        release_write_lock(home)
    try:
        build_data_docs(home, say=say)
    except Exception as exc:  # the docs are a report; a failure to render them must not fail the run
        say(f"warning: could not build the Data Docs site: {exc}")
    evaluations = result.get_asset_check_evaluations()
    failed = [
        f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations if not e.passed
    ]
    published = any(ev.asset_key == AssetKey("warehouse") for ev in result.get_asset_materialization_events())
    outcome = RunOutcome(
        run_id=result.run_id,
        success=result.success,
        files=_read_reports(home, result.run_id),
        checks_passed=sum(1 for e in evaluations if e.passed),
        checks_failed=failed,
        error=_failure_message(result),
        published=published,
    )
    _write_summary(home, outcome, started)
    return outcome


def _models_missing(home: Home) -> bool:
    """True when the published warehouse lacks a model of the dbt project (first build, or code that added one)."""
    if not home.warehouse.exists():
        return True
    from ingestion.warehouse import connect_readonly
    from orchestration.dbt_manifest import model_relations

    con = connect_readonly(home)
    try:
        present = set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                                  "UNION ALL SELECT schema_name, view_name FROM duckdb_views()").fetchall())
    finally:
        con.close()
    return bool(model_relations() - present)


def _write_summary(home: Home, outcome: RunOutcome, started: datetime) -> None:
    summary = {
        "run_id": outcome.run_id,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "success": outcome.success,
        "published": outcome.published,
        "checks_passed": outcome.checks_passed,
        "checks_failed": outcome.checks_failed,
        "files_rejected": [f.source_file for f in outcome.rejected],
        "error": outcome.error,
    }
    folder = home.runs / outcome.run_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    (home.runs / "latest.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")


def record_rejected_files(home: Home, rejected: list[Any], say=print) -> None:
    """Log rejected files in the warehouse's load log and quarantine them; no data table changes.

    Used when every file of an ``ingest`` is rejected: nothing needs loading or rebuilding,
    so no Dagster run starts; the load log still records each attempt.
    """
    from ingestion.load import record_rejection
    from ingestion.sync import intended_name, quarantine
    from ingestion.warehouse import discard_build, publish_build, start_build
    from ingestion.warehouse_schema import ensure_schema

    prepare_environment(home)
    run_id = "rejections-only"
    acquire_write_lock(home, notify=say, command="pledgewatch ingest")
    try:
        build = start_build(home, run_id)
        import duckdb

        con = duckdb.connect(str(build))
        try:
            ensure_schema(con)
            for prepared in rejected:
                quarantine(home, prepared)
                source_file = intended_name(home, prepared)
                record_rejection(con, prepared.dataset.name, source_file=source_file,
                                 sha256=prepared.sha256, problems=prepared.problems, run_id=None)
        finally:
            con.close()
        publish_build(home, run_id)
    except BaseException:
        discard_build(home, run_id)
        raise
    finally:
        release_write_lock(home)


def build_data_docs(home: Home, say=print) -> Path | None:
    """Rebuild the Great Expectations Data Docs site of the home, self-contained (it works offline); its index page."""
    from ingestion.validation.context import docs_index, gx_context
    from ingestion.validation.data_docs import make_offline

    if not home.gx.exists():
        return None
    gx_context(home.gx).build_data_docs()
    index = docs_index(home.gx)
    if not index.exists():
        return None
    remote = make_offline(index.parent)
    if remote:
        say(f"warning: the Data Docs site still loads {len(remote)} file(s) from the network "
            f"(e.g. {remote[0]}); it needs a network connection to show properly")
    return index


def latest_run(home: Home) -> dict[str, Any] | None:
    """Summary of the latest CLI run in ``home``, if any."""
    path = home.runs / "latest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
