"""Run the refresh job in-process on a home's Dagster instance, for the CLI.

The CLI holds the write lock (so it can say who holds it and exit 3) and executes the ``refresh``
job, or the part of it a change needs, as a normal Dagster run: it shows in the UI's run history
like any other, tagged with what started it (``pledgewatch/command``, the files or source, the
user). What part: the loads of the datasets whose files changed, the dbt models downstream of them
and the publish, rebuilt from the compiled SQL of the last full build
(:mod:`orchestration.dbt_compiled`); everything, with ``dbt build``, when there is no such build
for the current project (the first build, a changed project or reference data).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingestion.home import Home
from ingestion.problems import Problem
from ingestion.warehouse import acquire_write_lock, holds_write_lock, release_write_lock


def prepare_environment(home: Home) -> None:
    """Point Dagster and dbt at ``home`` (its instance tuned, see :mod:`orchestration.instance`); usage reports off."""
    from orchestration.instance import dagster_yaml  # imports Dagster: only commands that start a run get here

    home.root.mkdir(parents=True, exist_ok=True)
    home.dagster_home.mkdir(parents=True, exist_ok=True)
    config = home.dagster_home / "dagster.yaml"
    wanted = dagster_yaml(home.dagster_home)
    if not config.exists() or config.read_text(encoding="utf-8") != wanted:
        config.write_text(wanted, encoding="utf-8")
    os.environ["PLEDGEWATCH_HOME"] = str(home.root)
    os.environ["DAGSTER_HOME"] = str(home.dagster_home)
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    os.environ["DO_NOT_TRACK"] = "1"
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
    warnings: list[str] = field(default_factory=list)
    #: The report the run wrote after publishing (path, size_bytes, seconds), if it wrote one.
    report: dict[str, Any] | None = None
    #: Why the run's report step failed (the warehouse is published all the same), if it did.
    report_error: str | None = None
    #: Where the run built the marts on Spark (``PLEDGEWATCH_ENGINE=spark``), else None.
    spark_marts: str | None = None

    @property
    def rejected(self) -> list[FileOutcome]:
        """Files rejected in this run."""
        return [f for f in self.files if f.outcome == "rejected"]

    @property
    def loaded_anything(self) -> bool:
        """True when a file was loaded or removed."""
        return any(f.outcome in ("loaded", "removed") for f in self.files)


def issues_log(home: Home, run_id: str) -> Path:
    """The run's one log of every file's outcome, problem, skipped row and warning (one JSON object a line)."""
    return home.runs / run_id / "issues.jsonl"


def read_issues(home: Home, run_id: str) -> tuple[list[FileOutcome], list[str]]:
    """Every file's outcome in a run and its warnings, from its issue log."""
    path = issues_log(home, run_id)
    if not path.exists():
        return [], []
    outcomes: list[FileOutcome] = []
    warnings: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry.get("kind") == "file":
            outcomes.append(FileOutcome(entry["dataset"], entry["source_file"], entry["outcome"], entry["row_count"],
                                        [Problem(**p) for p in entry["problems"]]))
        elif entry.get("kind") == "warning":
            warnings.append(f"{entry['dataset']}: {entry['message']}")
    return outcomes, warnings


#: The step that writes the report after the publish (orchestration/assets/report.py): its failure fails no load.
REPORT_STEP = "report"


def _failed_steps(result: Any) -> list[str]:
    """The steps of a run that failed, in the order they failed."""
    return [event.step_key for event in result.all_events if event.is_step_failure]


def _failure_message(result: Any, steps: set[str] | None = None) -> tuple[str | None, str | None]:
    """The first failed step's error (of ``steps``, if given): one line for the user, and the whole of it (with
    tracebacks) for the log."""
    for event in result.all_events:
        if steps is not None and event.step_key not in steps:
            continue
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            err = event.step_failure_data.error
            innermost = err
            while innermost.cause is not None:  # Dagster wraps the op's own error: say that one
                innermost = innermost.cause
            summary = (innermost.message.strip().splitlines() or ["no message"])[0]
            return f"step {event.step_key} failed: {summary}", f"step {event.step_key} failed:\n{err.to_string()}"
    if not result.success:
        return "the run failed", "the run failed (no step reported an error; see the run in the Dagster UI)"
    return None, None


def downstream_keys(defs: Any, roots: list[Any]) -> list[Any]:
    """``roots`` and every asset that depends on them, directly or not (what a change must rebuild)."""
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


def run_tags(command: str, incoming: dict[str, list[Any]] | None, datasets: list[str] | None) -> dict[str, str]:
    """What started a run, for the UI's run list and its filters."""
    files = [str(item.path) for items in (incoming or {}).values() for item in items]
    tags = {"pledgewatch/command": command, "pledgewatch/user": getpass.getuser()}
    if files:
        tags["pledgewatch/files"] = "; ".join(files)[:1000]
    sources = sorted({item.source for items in (incoming or {}).values() for item in items if item.source})
    if sources:
        tags["pledgewatch/source"] = ", ".join(sources)
    tags["pledgewatch/datasets"] = ", ".join(datasets) if datasets is not None else "all"
    return tags


def run_job(home: Home, *, incoming: dict[str, list[Any]] | None = None, datasets: list[str] | None = None,
            rebuild: bool = False, with_dbt: bool = False, command: str = "refresh", say=print) -> RunOutcome:
    """Execute the refresh job (all of it, or the loads of ``datasets`` and what depends on them) and report it.

    ``rebuild``: build the warehouse again from ``raw/`` (an empty working copy, not the published one).
    ``with_dbt``: build the models with dbt itself, not from the compiled SQL of the last full build.
    Raises :class:`ingestion.warehouse.WarehouseBusy` when another writer holds the home.
    """
    prepare_environment(home)
    from orchestration.dbt_compiled import compiled_project, forget_compiled

    if with_dbt:
        forget_compiled(home)
    if datasets is not None and compiled_project(home) is None:
        say("no compiled build of the current dbt project: rebuilding every model with dbt (once)")
        datasets = None
    if datasets is not None:
        from orchestration.dbt_core import leave_out_dbt_core

        leave_out_dbt_core()  # the compiled SQL needs none of it (orchestration/dbt_core.py)
    from dagster import AssetKey, DagsterInstance

    from orchestration.assets.ingest import IncomingConfig
    from orchestration.definitions import build_definitions

    defs = build_definitions(home)
    job = defs.resolve_job_def("refresh")
    run_config = {
        "loggers": {"console": {"config": {"log_level": os.environ.get("PLEDGEWATCH_LOG_LEVEL", "CRITICAL")}}},
        "ops": {
            f"raw__{name}": {"config": {"incoming": [IncomingConfig.of(item) for item in items]}}
            for name, items in sorted((incoming or {}).items())
        },
    }
    selection = None
    if datasets is not None:
        selection = [*downstream_keys(defs, [AssetKey(["raw", d]) for d in datasets])]
    owns_lock = not holds_write_lock(home)
    if owns_lock:
        acquire_write_lock(home, notify=say, command=f"pledgewatch {command}")
    try:
        if rebuild:
            from ingestion.warehouse import start_build

            start_build(home, fresh=True)
        started = datetime.now(UTC)
        with DagsterInstance.get() as instance:
            run_id = str(uuid.uuid4())  # chosen here so that the run's tags can point at its folder
            tags = {**run_tags(command, incoming, datasets), "pledgewatch/run_folder": (home.runs / run_id).as_uri()}
            result = job.execute_in_process(
                run_config=run_config, instance=instance, raise_on_error=False, asset_selection=selection,
                run_id=run_id, tags=tags,
            )
    finally:
        from ingestion import prepared_store

        prepared_store.clear(home.prepared)
        if owns_lock:
            release_write_lock(home)
    evaluations = result.get_asset_check_evaluations()
    failed = [f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations if not e.passed]
    materialized = {ev.asset_key: ev for ev in result.get_asset_materialization_events()}
    published = AssetKey("warehouse") in materialized
    spark_marts = next((ev.materialization.metadata["path"].value for key, ev in materialized.items()
                        if key == AssetKey("spark_marts")), None)
    files, warnings = read_issues(home, result.run_id)
    error, detail = _failure_message(result)
    failed_steps = _failed_steps(result)
    # the report is written after the publish: when it alone failed, the run did its work (the warehouse is
    # published) and the report's failure is reported as such, not as the run's
    report_only = published and failed_steps == [REPORT_STEP]
    report_error = error if report_only else None
    if report_only:
        error = None
    if detail is not None:
        folder = home.runs / result.run_id
        with contextlib.suppress(OSError):  # a full disk: the message still says what happened
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "error.txt").write_text(detail, encoding="utf-8")
    outcome = RunOutcome(
        run_id=result.run_id,
        success=result.success or report_only,
        files=files,
        warnings=warnings,
        checks_passed=sum(1 for e in evaluations if e.passed),
        checks_failed=failed,
        error=error,
        published=published,
        report=_report_metadata(materialized.get(AssetKey("report"))),
        report_error=report_error,
        spark_marts=spark_marts,
    )
    with contextlib.suppress(OSError):
        _write_summary(home, outcome, started, command)
    return outcome


def _report_metadata(event: Any) -> dict[str, Any] | None:
    """Where the run's report was written, its size and build time, from the report asset's materialization."""
    if event is None:
        return None
    metadata = event.materialization.metadata
    return {"path": metadata["path"].value, "size_bytes": metadata["size_bytes"].value,
            "seconds": metadata["build_seconds"].value}


def _write_summary(home: Home, outcome: RunOutcome, started: datetime, command: str) -> None:
    summary = {
        "run_id": outcome.run_id,
        "command": command,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "success": outcome.success,
        "published": outcome.published,
        "checks_passed": outcome.checks_passed,
        "checks_failed": outcome.checks_failed,
        "files_rejected": [f.source_file for f in outcome.rejected],
        "error": outcome.error,
        "report": outcome.report["path"] if outcome.report else None,
        "report_error": outcome.report_error,
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
    import duckdb

    from ingestion.load import record_rejection
    from ingestion.store import quarantine, stored_as
    from ingestion.warehouse import discard_build, publish_build, start_build
    from ingestion.warehouse_schema import ensure_schema

    prepare_environment(home)
    owns_lock = not holds_write_lock(home)
    if owns_lock:
        acquire_write_lock(home, notify=say, command="pledgewatch ingest")
    try:
        build = start_build(home)
        con = duckdb.connect(str(build))
        try:
            ensure_schema(con)
            for prepared in rejected:
                quarantine(home, prepared)
                record_rejection(con, prepared.dataset.name, source_file=stored_as(home, prepared),
                                 sha256=prepared.sha256, problems=prepared.problems, run_id=None)
        finally:
            con.close()
        publish_build(home)
    except BaseException:
        discard_build(home)
        raise
    finally:
        if owns_lock:
            release_write_lock(home)


def latest_run(home: Home) -> dict[str, Any] | None:
    """Summary of the latest CLI run in ``home``, if any."""
    path = home.runs / "latest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
