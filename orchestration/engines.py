"""Which engine builds the dbt models: DuckDB (the default) or Spark (``PLEDGEWATCH_ENGINE=spark``).

Spark runs the same dbt project with its ``spark`` target (dbt-spark, ``method: session``: pyspark in
local mode inside the dbt process), reading the sources from the lake (:mod:`ingestion.lake`) and
writing its tables as Parquet under a folder of its own (``<folder>/warehouse/<schema>.db/<table>/``).
It needs Java 17 and the ``spark`` extra (``pip install -e '.[spark]'``); nothing here imports pyspark, and
the DuckDB path needs neither.

With the Spark engine chosen, every run that publishes the warehouse then builds the models on Spark from the
lake it just published, into ``<home>/spark/`` (:func:`build_home_on_spark`, the ``spark_marts`` asset): the
DuckDB warehouse and its marts are built, tested and published as always, and ``query``, ``report`` and
``export`` read those; Spark's marts are Parquet folders beside them, under ``<home>/spark/warehouse/marts.db/``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ingestion.home import Home
from ingestion.lake import MANIFEST, lake_root
from orchestration.dbt_manifest import DBT_ENV, DBT_PROJECT_DIR

ENGINES = ("duckdb", "spark")


def engine(setting: str | None = None) -> str:
    """The engine chosen: ``setting`` (a resource's), else ``$PLEDGEWATCH_ENGINE``, else ``duckdb``."""
    chosen = (setting or os.environ.get("PLEDGEWATCH_ENGINE") or "duckdb").strip().lower()
    if chosen not in ENGINES:
        raise ValueError(f"unknown engine {chosen!r}: PLEDGEWATCH_ENGINE is one of {', '.join(ENGINES)}")
    return chosen


def spark_unavailable() -> str | None:
    """Why the Spark engine cannot run here (no Java, no pyspark, no dbt-spark), or None."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java (17) is not installed: the Spark engine needs it (apt-get install openjdk-17-jre-headless)"
    for module, extra in (("pyspark", "pyspark"), ("dbt.adapters.spark", "dbt-spark")):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            return f"{extra} is not installed: pip install -e '.[spark]' (the spark extra)"
    return None


@dataclass(frozen=True)
class SparkBuild:
    """What a Spark build of the models left: its tables, and how long it took."""

    folder: Path
    seconds: float

    def table(self, schema: str, name: str) -> Path:
        """The Parquet folder of a table Spark built."""
        return self.folder / "warehouse" / f"{schema}.db" / name


def build_on_spark(lake: Path, folder: Path, *, select: list[str] | None = None) -> SparkBuild:
    """Seed and build the dbt models (not their tests) on Spark from ``lake`` into ``folder`` (emptied first).

    dbt runs as a child process of this environment (the JVM lives and dies with it); its output goes to
    ``folder/dbt.log``. Raises :class:`RuntimeError` with the log's tail when the build fails.
    """
    reason = spark_unavailable()
    if reason:
        raise RuntimeError(f"the Spark engine cannot run: {reason}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), "build", "--target", "spark", "--project-dir", str(DBT_PROJECT_DIR),
               "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(folder / "target"),
               "--log-path", str(folder / "logs"), "--exclude", "resource_type:test", "resource_type:unit_test"]
    if select:
        command += ["--select", *select]
    env = {**os.environ, **DBT_ENV, "PLEDGEWATCH_LAKE": str(lake.resolve()), "PLEDGEWATCH_SPARK_DIR": str(folder)}
    started = time.monotonic()
    with (folder / "dbt.log").open("w", encoding="utf-8") as log:
        # dbt-spark's session writes metastore/derby files into the working directory: keep them in the folder
        done = subprocess.run(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        tail = (folder / "dbt.log").read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        raise RuntimeError(f"dbt on Spark failed (exit {done.returncode}); {folder / 'dbt.log'}:\n" + "\n".join(tail))
    return SparkBuild(folder, seconds)


#: What :func:`build_home_on_spark` writes beside Spark's tables: the lake version and warehouse it read.
BUILT_FROM = "_built_from.json"


def spark_home(home: Home) -> Path:
    """Where the Spark engine leaves its build of a home's models: ``<home>/spark``."""
    return home.root / "spark"


def build_home_on_spark(home: Home) -> SparkBuild:
    """Build the models on Spark from the home's published lake into ``<home>/spark`` (the caller holds the
    home's write lock, so the lake does not change meanwhile).

    The build goes to ``<home>/spark.building`` and replaces ``<home>/spark`` only once it succeeded, so a
    failed build leaves the previous one whole; ``_built_from.json`` names the lake version it read (whose
    manifest names the warehouse file it belongs to).
    """
    lake = lake_root(home)
    if not (lake / MANIFEST).is_file():
        raise RuntimeError(f"{lake} holds no published lake: the Spark engine reads the tables from it")
    version = lake.resolve()
    target = spark_home(home)
    building = target.with_name(target.name + ".building")
    build = build_on_spark(version, building)
    manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    (building / BUILT_FROM).write_text(json.dumps(
        {"lake": str(version), "lake_manifest": manifest, "seconds": round(build.seconds, 1)}, indent=2) + "\n",
        encoding="utf-8")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    building.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return SparkBuild(target, build.seconds)
