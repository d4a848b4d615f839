"""The fixed costs a user pays on every command (issue 10's targets), each against a floor measured in the same run.

- ``ingest`` of a 20-row extract, end to end as a whole process: target median <= 10 s.
- ``refresh`` with nothing changed: target <= 5 s, and it must say "nothing changed".
- ``query "select 1"``, ``status``, ``sources``, ``validate`` of a small file: target <= 1.5 s each, and
  none of them may import Dagster, dbt or Great Expectations (checked with ``python -X importtime``).
- publish cost: the same 20-row ingest into a home that also holds every real publisher file, against the
  bundled-only home: the ratio says whether a small ingest pays for the size of the warehouse.

The floor is a bare process that opens the same warehouse read-only and runs ``select 1`` (Python's start,
DuckDB's import and open): what no command can go below. Every figure is min/median/max of whole processes.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.timing import CLI, summary, timed

#: Packages a read-only command must not import (python -X importtime names them at top level).
HEAVY = ("dagster", "dagster_dbt", "dbt", "great_expectations")
#: Packages a small ingest must not import: it builds from compiled SQL (no dbt-core) and validates with the suite
#: compiled to SQL (no Great Expectations).
INGEST_HEAVY = ("dbt", "great_expectations")


@dataclass(frozen=True)
class Target:
    """A figure, its limit in seconds and the floor it is compared with."""

    label: str
    limit: float
    times: list[float]
    floor: list[float]

    def line(self) -> str:
        median = statistics.median(self.times)
        ratios = [t / f for t, f in zip(self.times, self.floor, strict=True)]
        verdict = "meets" if median <= self.limit else "MISSES"
        return (f"{self.label:<34} (s): {summary(self.times)}  x floor {summary(ratios, digits=1)}  "
                f"target <= {self.limit:g} s: {verdict}")


def floor_seconds(home: Path, env: dict[str, str]) -> float:
    """A bare process that opens the warehouse read-only and runs ``select 1``."""
    code = (f"import duckdb; c = duckdb.connect({str(home / 'warehouse.duckdb')!r}, read_only=True); "
            "c.execute('select 1').fetchall()")
    seconds, _rss, _code = timed([sys.executable, "-c", code], env)
    return seconds


def pledges_extract(path: Path, stamp: str, rows: int = 20) -> Path:
    """A valid synthetic pledges extract whose ids are unique to ``stamp`` (not real data)."""
    lines = ["pledge_id,announced_on,donor,category,amount,currency,status,source_name"]
    lines += [f"bench-{stamp}-{i},2025-09-{1 + i % 28:02d},Germany,military,{100 + i}m,EUR,committed,"
              "synthetic benchmark fixture" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest_small(home: Path, work: Path, env: dict[str, str], runs: int, label: str) -> Target:
    """``ingest`` of a new 20-row extract into ``home`` (one more file each run), against the floor."""
    times, floor = [], []
    for run in range(runs):
        extract = pledges_extract(work / f"synthetic_pledges_{label}_{run}.csv", f"{label}{run}{time.time_ns()}")
        argv = [str(CLI), "--home", str(home), "ingest", str(extract), "--dataset", "pledges"]
        seconds, _rss, code = timed(argv, env)
        if code != 0:
            raise SystemExit(f"ingest of {extract} into {home} exited {code}")
        times.append(seconds)
        floor.append(floor_seconds(home, env))
    extract = pledges_extract(work / f"synthetic_pledges_{label}_imports.csv", f"{label}i{time.time_ns()}")
    heavy = heavy_imports(["ingest", str(extract), "--dataset", "pledges"], home, env, INGEST_HEAVY)
    imports = f" [imports {', '.join(heavy)}]" if heavy else ""
    return Target(f"ingest, 20 rows ({label}){imports}", 10.0, times, floor)


def noop_refresh(home: Path, env: dict[str, str], runs: int) -> Target:
    """``refresh`` with nothing changed; it must say so."""
    said = subprocess.run([str(CLI), "--home", str(home), "refresh"], env=env, capture_output=True, text=True)
    if "nothing changed" not in said.stdout:
        raise SystemExit(f"refresh with nothing changed did not say so:\n{said.stdout}{said.stderr}")
    times, floor = [], []
    for _run in range(runs):
        seconds, _rss, _code = timed([str(CLI), "--home", str(home), "refresh"], env)
        times.append(seconds)
        floor.append(floor_seconds(home, env))
    return Target("refresh, nothing changed", 5.0, times, floor)


def light_commands(home: Path, small_file: Path, env: dict[str, str], runs: int) -> list[Target]:
    """``query``, ``status``, ``sources``, ``validate``: each timed, each checked for heavy imports."""
    commands = {
        'query "select 1"': ["query", "select 1"],
        "status": ["status"],
        "sources": ["sources"],
        "validate (20 rows)": ["validate", str(small_file), "--dataset", "pledges"],
    }
    targets = []
    for label, argv in commands.items():
        heavy = heavy_imports([*argv], home, env)
        times, floor = [], []
        for _run in range(runs):
            seconds, _rss, _code = timed([str(CLI), "--home", str(home), *argv], env)
            times.append(seconds)
            floor.append(floor_seconds(home, env))
        name = f"{label}" + (f" [imports {', '.join(heavy)}]" if heavy else "")
        targets.append(Target(name, 1.5, times, floor))
    return targets


def heavy_imports(argv: list[str], home: Path, env: dict[str, str], heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """Which of ``heavy`` a command imports (``python -X importtime``)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "orchestration.cli", "--home", str(home), *argv],
                          env=env, capture_output=True, text=True)
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return [name for name in heavy if name in imported]


RealFiles = list[tuple[Path, tuple[str, ...]]]


def with_real_files(base: Path, work: Path, env: dict[str, str], real_files: RealFiles) -> Path:
    """A copy of ``base`` with every real publisher file ingested."""
    home = work / "publish-real"
    shutil.copytree(base, home, ignore=shutil.ignore_patterns("build", ".write.lock"))
    for path, options in real_files:
        _seconds, _rss, code = timed([str(CLI), "--home", str(home), "ingest", str(path), *options], env)
        if code != 0:
            raise SystemExit(f"ingest of {path} into {home} exited {code}")
    return home


def run(base: Path, work: Path, env: dict[str, str], runs: int, real_files: RealFiles) -> None:
    """Print every fixed-cost target."""
    small = work / "fixed-small"
    shutil.copytree(base, small, ignore=shutil.ignore_patterns("build", ".write.lock"))
    print(f"fixed costs, {runs} runs each (warehouse {size_mb(small):.0f} MB, bundled data):", flush=True)
    bundled = ingest_small(small, work, env, runs, "bundled data")
    print(bundled.line(), flush=True)
    print(noop_refresh(small, env, runs).line(), flush=True)
    for target in light_commands(small, pledges_extract(work / "synthetic_validate.csv", "v"), env, runs):
        print(target.line(), flush=True)
    if not real_files:
        print("publish cost with the real files loaded: skipped (../shared/data/real not found)")
        return
    real = with_real_files(base, work, env, real_files)
    loaded = ingest_small(real, work, env, runs, "all real files loaded")
    print(loaded.line() + f"  (warehouse {size_mb(real):.0f} MB)", flush=True)
    ratios = [b / a for a, b in zip(bundled.times, loaded.times, strict=True)]
    print(f"{'publish cost: real-loaded / bundled':<34}    : {summary(ratios, digits=2)}  "
          f"(1.0: a small ingest does not pay for the warehouse's size)", flush=True)


def size_mb(home: Path) -> float:
    return (home / "warehouse.duckdb").stat().st_size / 1e6
