"""The refresh job and what triggers it: a daily schedule and a sensor on ``raw/``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster import (
    AssetKey,
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    sensor,
)

from ingestion.home import Home

refresh_job = define_asset_job(
    "refresh",
    selection=AssetSelection.all() - AssetSelection.groups("sources"),
    description="Load every file under raw/, rebuild the dbt models, run every check, publish (fetches nothing).",
)


def build_pull_job(pullable: list[AssetKey]):
    """Pull the sources that can be pulled unattended, then load and rebuild what depends on them."""
    return define_asset_job(
        "pull_sources",
        selection=AssetSelection.assets(*pullable).downstream(),
        description="Fetch each publisher release that has a URL; store and load it when new; rebuild; publish.",
    )


def build_weekly_pull_schedule(job) -> ScheduleDefinition:
    """Weekly pull of the publishers' releases: off until switched on in the UI."""
    return ScheduleDefinition(
        name="weekly_pull",
        job=job,
        cron_schedule="0 5 * * 1",
        execution_timezone="UTC",
        default_status=DefaultScheduleStatus.STOPPED,
    )

daily_refresh_schedule = ScheduleDefinition(
    name="daily_refresh",
    job=refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
)


def raw_fingerprint(raw_dir: Path) -> str:
    """A digest of every file under ``raw/`` (path, size, modification time)."""
    entries = []
    if raw_dir.is_dir():
        for path in sorted(raw_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                stat = path.stat()
                entries.append((path.relative_to(raw_dir).as_posix(), stat.st_size, stat.st_mtime_ns))
    return hashlib.sha256(json.dumps(entries).encode()).hexdigest()


def build_raw_files_sensor(home: Home):
    """A sensor that requests a refresh when files under ``<home>/raw`` are added, changed or removed."""

    @sensor(
        name="raw_files_sensor",
        job=refresh_job,
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.RUNNING,
        description=f"Refreshes when a file under {home.raw} is added, changed or removed.",
    )
    def raw_files_sensor(context: SensorEvaluationContext):
        fingerprint = raw_fingerprint(home.raw)
        if context.cursor == fingerprint:
            return SkipReason("no file under raw/ changed")
        first_look = context.cursor is None
        context.update_cursor(fingerprint)
        if first_look and home.warehouse.exists():
            return SkipReason("first look at raw/: remembered its state")
        return RunRequest(run_key=fingerprint)

    return raw_files_sensor
