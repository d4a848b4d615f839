"""`make bench-engines`: the dbt models on DuckDB and on Spark (local mode) over a big synthetic oil_imports.

Writes a warehouse whose ``raw.oil_imports`` holds ``--rows`` synthetic rows (default 10,000,000; not real
data, generated in SQL, under a temporary folder, never committed) beside the reference data, writes its
lake (:mod:`ingestion.lake`, timed), then builds every model (seeds and models, not the tests) once with
each engine in a process of its own, and prints wall time and peak memory (the process tree's resident
set, sampled every 0.2 s: Spark's JVM included) side by side. The Spark part is skipped, saying why, where
Java or the ``spark`` extra is missing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingestion.home import Home  # noqa: E402
from ingestion.lake import lake_root, make_live, stage_lake  # noqa: E402
from ingestion.load import load_reference  # noqa: E402
from orchestration.dbt_manifest import DBT_ENV, DBT_PROJECT_DIR  # noqa: E402
from orchestration.engines import spark_unavailable  # noqa: E402

SOURCE_FILE = "raw/oil_imports/synthetic_engines_bench.csv"
SYNTHETIC = f"""
INSERT INTO raw.oil_imports BY NAME
SELECT
    (DATE '2016-01-01' + to_months(CAST(i % 120 AS INTEGER)))::DATE AS period,
    (['HUN', 'SVK', 'DEU', 'NLD', 'IND', 'TUR', 'CHN', 'EU_MEMBER_STATES', 'JPN', 'ESP'])[1 + (i // 7) % 10]
        AS importer,
    'RUS' AS origin,
    (['pipeline', 'seaborne', 'via_third_country', 'unspecified'])[1 + i % 4] AS route,
    CASE WHEN i % 4 = 2 THEN (['IND', 'TUR', 'CHN', 'ARE'])[1 + (i // 3) % 4] END AS via_country,
    (['crude', 'refined', 'oil', 'lng', 'coal'])[1 + (i // 11) % 5] AS product,
    CAST(i % 100000 + 1 AS DOUBLE) AS volume_tonnes,
    CAST((i * 37) % 9000000 + 1000 AS DOUBLE) AS value,
    CAST((i * 37) % 9000000 + 1000 AS DOUBLE) AS value_eur,
    CAST((i * 37) % 9000000 + 1000 AS DOUBLE) * 1.08 AS value_usd,
    'EUR' AS currency,
    NULL AS source_url,
    'synthetic benchmark row ' || i AS source_name,
    false AS is_partial,
    NULL AS conversion_note,
    '{SOURCE_FILE}' AS source_file,
    'synthetic' AS source_sha256,
    i + 1 AS load_row,
    i + 2 AS source_row,
    NULL AS source_rows,
    NULL AS source_extra,
    1 AS ingest_seq,
    TIMESTAMP '2026-01-01 00:00:00' AS loaded_at
FROM range(?) AS t(i)
"""


def synthetic_home(root: Path, rows: int) -> tuple[Home, float]:
    """A warehouse with ``rows`` synthetic oil_imports rows and the reference data, its lake written; the
    seconds the lake took."""
    home = Home(root)
    root.mkdir(parents=True)
    con = duckdb.connect(str(home.warehouse))
    try:
        load_reference(con)
        con.execute("SET preserve_insertion_order = false")
        con.execute(SYNTHETIC, [rows])
        con.execute("INSERT INTO meta.file_registry VALUES (?, 'oil_imports', 'synthetic', ?, 1, now())",
                    [SOURCE_FILE, rows])
        started = time.perf_counter()
        version = stage_lake(con, home)
        lake_seconds = time.perf_counter() - started
        con.execute("CHECKPOINT")
    finally:
        con.close()
    make_live(home, version)
    return home, lake_seconds


def tree_rss_kib(pid: int) -> int:
    """Resident set of a process and its descendants (KiB), from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        rss[int(entry.name)] = next((int(line.split()[1]) for line in status.splitlines()
                                     if line.startswith("VmRSS:")), 0)
    tree, todo = {pid}, [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current and child not in tree:
                tree.add(child)
                todo.append(child)
    return sum(rss.get(p, 0) for p in tree)


def measured(argv: list[str], env: dict[str, str], cwd: Path, log: Path) -> tuple[float, int, int]:
    """Wall seconds, peak resident set of the process tree (KiB) and exit code of one command."""
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss_kib(proc.pid))
            time.sleep(0.2)
    return time.perf_counter() - started, peak, proc.returncode


def dbt_command(target: str, work: Path) -> list[str]:
    """``dbt build`` of the seeds and models (not the tests) for ``target``."""
    dbt = Path(sys.executable).parent / "dbt"
    return [str(dbt), "build", "--target", target, "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(work / "target"),
            "--log-path", str(work / "logs"), "--exclude", "resource_type:test", "resource_type:unit_test"]


def run(rows: int, keep: bool) -> int:
    """Build the models on both engines over ``rows`` synthetic rows; print the figures."""
    base = Path(tempfile.mkdtemp(prefix="pledgewatch-bench-engines-synthetic-"))
    try:
        print(f"generating {rows:,} synthetic oil_imports rows in {base} ...", flush=True)
        started = time.perf_counter()
        home, lake_seconds = synthetic_home(base / "home", rows)
        print(f"  warehouse {time.perf_counter() - started:.1f} s (lake: {lake_seconds:.1f} s, "
              f"{sum(p.stat().st_size for p in lake_root(home).rglob('*.parquet')) / 2**20:.0f} MiB of Parquet)")
        results: dict[str, tuple[float, int, int] | str] = {}
        duck = base / "duckdb"
        duck.mkdir()
        env = {**os.environ, **DBT_ENV, "PLEDGEWATCH_DB_PATH": str(home.warehouse)}
        print("building on DuckDB ...", flush=True)
        results["duckdb"] = measured(dbt_command("warehouse", duck), env, duck, duck / "dbt.log")
        reason = spark_unavailable()
        if reason:
            results["spark"] = f"skipped: {reason}"
        else:
            spark = base / "spark"
            spark.mkdir()
            env = {**os.environ, **DBT_ENV, "PLEDGEWATCH_LAKE": str(lake_root(home).resolve()),
                   "PLEDGEWATCH_SPARK_DIR": str(spark),
                   "PLEDGEWATCH_SPARK_DRIVER_MEMORY": os.environ.get("PLEDGEWATCH_SPARK_DRIVER_MEMORY", "4g")}
            print("building on Spark (local mode) ...", flush=True)
            results["spark"] = measured(dbt_command("spark", spark), env, spark, spark / "dbt.log")
        print(f"\nmodels built from {rows:,} synthetic oil_imports rows (seeds + models, no tests):")
        print(f"  {'engine':<8} {'wall':>10} {'peak memory':>14}  exit")
        for name, result in results.items():
            if isinstance(result, str):
                print(f"  {name:<8} {result}")
            else:
                seconds, peak, code = result
                print(f"  {name:<8} {seconds:>9.1f}s {peak / 2**20:>12.2f} GiB  {code}")
        failed = [name for name, r in results.items() if not isinstance(r, str) and r[2] != 0]
        if failed:
            print(f"failed: {', '.join(failed)} (logs under {base})")
            keep = True
        return 1 if failed else 0
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """``python bench/engines.py [--rows N] [--keep]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the synthetic data and logs")
    args = parser.parse_args(argv)
    return run(args.rows, args.keep)


if __name__ == "__main__":
    sys.exit(main())
