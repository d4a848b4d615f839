"""Runs a person can tell apart in the Dagster UI: each CLI run is tagged with what started it and its folder."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from urllib.parse import urlparse

from ingestion.home import Home
from tests.conftest import run_cli


def runs_of(home: Home) -> list:
    """Every run in the home's Dagster instance, newest first."""
    from dagster import DagsterInstance

    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home.dagster_home)
    try:
        with DagsterInstance.get() as instance:
            return list(instance.get_runs())
    finally:
        if previous is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = previous


def test_an_ingest_run_is_tagged_with_its_command_files_user_and_folder(home: Home, tmp_path: Path):
    extract = tmp_path / "pledges" / "synthetic_tagged.csv"
    extract.parent.mkdir()
    extract.write_text("pledge_id,announced_on,donor,category,amount,currency,source_name\n"
                       "TAG-1,2025-09-04,Germany,military,1000,EUR,synthetic test fixture\n", encoding="utf-8")
    before = {run.run_id for run in runs_of(home)}
    assert run_cli("--home", str(home.root), "ingest", str(extract)) == 0
    (run,) = [run for run in runs_of(home) if run.run_id not in before]
    tags = run.tags
    assert tags["pledgewatch/command"] == "ingest"
    assert tags["pledgewatch/files"] == str(extract)
    assert tags["pledgewatch/datasets"] == "pledges"
    assert tags["pledgewatch/user"] == getpass.getuser()
    folder = Path(urlparse(tags["pledgewatch/run_folder"]).path)
    assert folder == home.runs / run.run_id
    assert (folder / "summary.json").is_file() and (folder / "issues.jsonl").is_file()


def test_a_refresh_run_is_tagged_as_such(home: Home):
    before = {run.run_id for run in runs_of(home)}
    assert run_cli("--home", str(home.root), "refresh", "--full") == 0
    (run,) = [run for run in runs_of(home) if run.run_id not in before]
    assert run.tags["pledgewatch/command"] == "refresh"
    assert run.tags["pledgewatch/datasets"] == "all"
    assert "pledgewatch/files" not in run.tags
