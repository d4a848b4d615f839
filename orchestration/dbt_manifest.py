"""The dbt project's location and its manifest, built before Dagster loads the models."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"

#: Environment every dbt invocation gets: nothing phones home.
DBT_ENV = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}


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
    """Run ``dbt parse`` when the manifest is stale; return the manifest's path.

    The parse writes into a private folder and the manifest is renamed into
    place, so concurrent callers never read half a file.
    """
    if not manifest_is_stale():
        return MANIFEST_PATH
    from dbt.cli.main import dbtRunner  # imported lazily: dbt is slow to import

    os.environ.update(DBT_ENV)
    scratch = Path(tempfile.mkdtemp(prefix="dbt-parse-"))
    try:
        result = dbtRunner().invoke([
            "parse", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(scratch), "--log-path", str(scratch), "--quiet",
        ])
        if not result.success:
            raise RuntimeError(f"dbt parse failed: {result.exception}")
        MANIFEST_PATH.parent.mkdir(parents=True, exist_ok=True)
        tmp = MANIFEST_PATH.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(scratch / "manifest.json", tmp)
        os.replace(tmp, MANIFEST_PATH)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return MANIFEST_PATH


def model_relations() -> set[tuple[str, str]]:
    """(schema, name) of every dbt model and seed, as the manifest places them."""
    import json

    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    return {
        (node["schema"], node.get("alias") or node["name"])
        for node in manifest["nodes"].values() if node["resource_type"] in ("model", "seed")
    }
