"""The dbt project as dagster-dbt sees it (``DbtProject``), and its manifest, prepared before Dagster loads it.

dagster-dbt needs a manifest to define the dbt assets. ``dagster dev`` prepares it itself
(``prepare_if_dev``); the CLI, the tests and ``make install`` call :func:`ensure_manifest`, which
runs dagster-dbt's own preparer (``dbt parse``) when the manifest is missing or older than a file of
the project, so a run never starts from a stale one.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"

#: Environment every dbt invocation gets: nothing phones home.
DBT_ENV = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}


@cache
def dbt_project() -> Any:
    """dagster-dbt's ``DbtProject`` of the repository's dbt project (imported lazily: dagster-dbt is slow)."""
    from dagster_dbt import DbtProject

    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _project_sources() -> list[Path]:
    patterns = ("*.sql", "*.yml", "*.yaml", "*.csv", "*.md")
    files: list[Path] = []
    for folder in ("models", "macros", "tests", "seeds", "snapshots"):
        base = DBT_PROJECT_DIR / folder
        if base.is_dir():
            for pattern in patterns:
                files.extend(base.rglob(pattern))
    files.extend([DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"])
    return files


def manifest_is_stale() -> bool:
    """True when the manifest is missing or older than a file of the dbt project."""
    if not MANIFEST_PATH.exists():
        return True
    built = MANIFEST_PATH.stat().st_mtime
    return any(p.stat().st_mtime > built for p in _project_sources() if p.exists())


def ensure_manifest() -> Path:
    """Prepare the manifest with dagster-dbt's preparer (``dbt parse``) when it is stale; its path."""
    if manifest_is_stale():
        os.environ.update(DBT_ENV)
        project = dbt_project()
        project.preparer.prepare(project)
    return MANIFEST_PATH
