"""`make bench`: the fixed cost of every command and the marginal cost of big files, each against a baseline.

Parts (``--only`` runs one):

- ``fixed``: issue 10's targets (:mod:`bench.fixed_costs`): a 20-row ``ingest``, a no-op ``refresh``,
  ``query``/``status``/``sources``/``validate``, and the publish cost once every real file is loaded, each
  against a bare process that opens the warehouse (the floor no command can go below).
- ``ingest``: a synthetic oil_imports extract of 2,000,000 rows and one of its first 1,000 rows, each
  ingested into a fresh copy of the bundled warehouse; the *marginal* time of the big file (big minus
  small: start-up and the fixed part of the rebuild cancel out) against DuckDB's own ``read_csv`` of the
  same file into a table, in the same run. Target 3.0x, aim 2.0x; peak RSS against the file's size.
- ``real``: ``ingest`` of each real publisher file and a ``refresh`` from ``raw/`` holding all of them.
- ``designations``: a second 15,000-entry list snapshot on top of a first.

Every figure is min/median/max over whole processes (``--runs``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

from bench import fixed_costs
from bench.timing import CLI, summary, timed

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"

IMPORTERS = ["Hungary", "Slovakia", "Germany", "Netherlands", "India", "Türkiye", "China", "EU member states", "Japan",
             "Spain"]
VIA = ["India", "Türkiye", "China", "United Arab Emirates"]
ROUTES = ["pipeline", "seaborne", "via_third_country", "unspecified"]
PRODUCTS = ["crude", "refined", "oil", "lng", "coal"]
CURRENCIES = ["EUR", "USD", "GBP"]


def generate(rows: int, path: Path) -> Path:
    """A valid synthetic oil_imports extract of ``rows`` distinct rows (not real data)."""
    i = pl.int_range(0, rows, eager=True)
    months = pl.date_range(pl.date(2019, 1, 1), pl.date(2025, 12, 1), "1mo", eager=True).dt.strftime("%Y-%m")
    route = pl.Series(ROUTES).gather(i % len(ROUTES))
    via = pl.select(
        pl.when(route == "via_third_country").then(pl.Series(VIA).gather((i // 3) % len(VIA)))
    ).to_series()
    frame = pl.DataFrame({
        "period": months.gather(i % len(months)),
        "importer": pl.Series(IMPORTERS).gather((i // 7) % len(IMPORTERS)),
        "origin": pl.Series(["Russia"] * rows),
        "route": route,
        "via_country": via,
        "product": pl.Series(PRODUCTS).gather((i // 11) % len(PRODUCTS)),
        "volume_tonnes": (i % 100_000 + 1).cast(pl.String),
        "value": ((i * 37) % 9_000_000 + 1000).cast(pl.String),
        "currency": pl.Series(CURRENCIES).gather((i // 13) % len(CURRENCIES)),
    }).with_columns(source_name=pl.format("synthetic benchmark row {}", pl.int_range(0, rows)))
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path)
    return path


def duckdb_read_csv(csv: Path) -> float:
    """Seconds DuckDB takes to read_csv the file into a table (in a fresh process, statement only)."""
    code = (
        "import duckdb, sys, time, tempfile, os\n"
        "d = tempfile.mkdtemp(); con = duckdb.connect(os.path.join(d, 'b.duckdb'))\n"
        "con.execute('SET enable_progress_bar = false')\n"
        "t = time.perf_counter()\n"
        f"con.execute(\"CREATE TABLE oil AS SELECT * FROM read_csv('{csv}')\")\n"
        "con.execute('CHECKPOINT')\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


REAL = REPO.parent / "shared" / "data" / "real"
#: The real publisher files (not shipped: read where they are) and the options each is ingested with.
REAL_FILES = (
    (REAL / "pledges" / "kiel_ust_data_explorer.csv", ()),
    (REAL / "oil_imports" / "crea_price_cap_ts.csv", ()),
    (REAL / "oil_imports" / "crea_shipments_to_nl.csv", ("--importer", "NL")),
    (REAL / "aid_changes" / "us_foreign_aid_country.csv", ()),
    (REAL / "sanctions" / "GSDB_V3.csv", ()),
    (REAL / "sanctions" / "canada_sema_2025-05-25.xml", ()),
    (REAL / "sanctions" / "un_consolidated_2020-11-24.xml", ()),
    (REAL / "sanctions" / "un_consolidated_2025-04-19.xml", ()),
)


def real_files_present() -> list[tuple[Path, tuple[str, ...]]]:
    """The real publisher files found here (none on a machine without ../shared)."""
    return [(path, options) for path, options in REAL_FILES if path.is_file()]


def bench_real_files(base: Path, work: Path, env: dict[str, str], runs: int) -> None:
    """Time ``ingest`` of each real publisher file, then ``refresh`` of a home holding all of them."""
    present = real_files_present()
    if not present:
        print(f"real publisher files: skipped (not found under {REAL})")
        return
    print(f"real publisher files ({len(present)}), ingest into the bundled warehouse, {runs} runs each:")
    everything = work / "real-all"
    shutil.copytree(base, everything, ignore=shutil.ignore_patterns("build", ".write.lock"))
    for path, options in present:
        times = []
        for run in range(runs):
            home = work / f"real-{run}"
            shutil.copytree(base, home, ignore=shutil.ignore_patterns("build", ".write.lock"))
            seconds, _rss, code = timed([str(CLI), "--home", str(home), "ingest", str(path), *options], env)
            if code != 0:
                print(f"  ingest of {path.name} exited {code}", file=sys.stderr)
            times.append(seconds)
            shutil.rmtree(home)
        print(f"  ingest {path.name:<40} {path.stat().st_size / 1e6:5.1f} MB (s): {summary(times)}", flush=True)
        timed([str(CLI), "--home", str(everything), "ingest", str(path), *options], env)
    (everything / "warehouse.duckdb").unlink()
    times = []
    for _run in range(runs):
        seconds, _rss, code = timed([str(CLI), "--home", str(everything), "refresh"], env)
        times.append(seconds)
        (everything / "warehouse.duckdb").unlink()
    print(f"  refresh from raw/ of the bundled data + all {len(present)} files (s): {summary(times)}", flush=True)


def sdn_snapshot(entries: int, path: Path, *, drop_every: int = 0, renamed_every: int = 0, extra: int = 0) -> Path:
    """A synthetic OFAC ``sdn.csv`` snapshot (no header, ``-0-`` empties, CRLF, final Ctrl-Z): not real entries."""
    programmes = ("RUSSIA-EO14024", "UKRAINE-EO13662] [RUSSIA-EO14024", "CUBA", "SDGT", "BELARUS-EO14038", "IRAN")
    types = ("-0- ", '"individual"', '"vessel"', '"aircraft"')
    lines = []
    for n in range(1, entries + extra + 1):
        if drop_every and n % drop_every == 0:
            continue
        name = f"SYNTHETIC ENTRY {n}" + (" RENAMED" if renamed_every and n % renamed_every == 0 else "")
        fields = [str(100000 + n), f'"{name}"', types[n % len(types)], f'"{programmes[n % len(programmes)]}"',
                  *(["-0- "] * 7), '"synthetic benchmark entry"']
        lines.append(",".join(fields))
    path.write_bytes(("\r\n".join(lines) + "\r\n\x1a").encode("latin-1"))
    return path


def bench_sdn_reader(snapshot: Path, runs: int) -> None:
    """Time the ``ofac-sdn`` reader alone against DuckDB's ``read_csv`` of the same file (its Ctrl-Z line padded)."""
    code = (
        "import sys, time, duckdb\n"
        "from pathlib import Path\n"
        "from ingestion.sources.ofac_sdn import read_sdn\n"
        "path = Path(sys.argv[1])\n"
        "t = time.perf_counter(); read_sdn(path); ours = time.perf_counter() - t\n"
        "con = duckdb.connect()\n"
        "t = time.perf_counter()\n"
        "con.execute(\"CREATE TABLE sdn AS SELECT * FROM read_csv(?, header=false, encoding='latin-1', "
        "all_varchar=true, null_padding=true)\", [str(path)])\n"
        "print(ours, time.perf_counter() - t)\n"
    )
    ours, baseline = [], []
    for _run in range(runs):
        out = subprocess.run([sys.executable, "-c", code, str(snapshot)], capture_output=True, text=True, check=True,
                             cwd=REPO)
        reader, duck = (float(value) for value in out.stdout.split())
        ours.append(reader)
        baseline.append(duck)
    ratios = [a / b for a, b in zip(ours, baseline, strict=True)]
    print(f"designations: read_sdn of a 15,300-entry snapshot (s): {summary(ours)}; duckdb read_csv of it (s): "
          f"{summary(baseline)}; ratio {summary(ratios)}", flush=True)


def bench_designations(base: Path, work: Path, env: dict[str, str], runs: int) -> None:
    """Time ``ingest`` of a 15,000-entry snapshot on top of a warehouse that already holds one of the list."""
    first = sdn_snapshot(15_000, work / "sdn_2024-01-01.csv")
    second = sdn_snapshot(15_000, work / "sdn_2024-02-01.csv", drop_every=97, renamed_every=89, extra=300)
    bench_sdn_reader(second, runs)
    holding = work / "designations-base"
    shutil.copytree(base, holding, ignore=shutil.ignore_patterns("build", ".write.lock"))
    seconds, _rss, code = timed([str(CLI), "--home", str(holding), "ingest", str(first)], env)
    if code != 0:
        print("  ingest of the first snapshot failed", file=sys.stderr)
        return
    print(f"designations: first 15,000-entry snapshot into an empty list: {seconds:.1f} s")
    times, memory = [], []
    for run in range(runs):
        home = work / f"designations-{run}"
        shutil.copytree(holding, home, ignore=shutil.ignore_patterns("build", ".write.lock"))
        seconds, rss, code = timed([str(CLI), "--home", str(home), "ingest", str(second)], env)
        if code != 0:
            print(f"  ingest of the second snapshot exited {code}", file=sys.stderr)
        times.append(seconds)
        memory.append(rss)
        shutil.rmtree(home)
    print(f"  second snapshot (15,300 entries, ~450 changes) on top of the first (s): {summary(times)}; "
          f"peak RSS {statistics.median(memory) / 1024:.0f} MiB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("fixed", "ingest", "real", "designations"),
                        help="run one part of the benchmark")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pledgewatch-bench-"))
    env = {**os.environ, "PLEDGEWATCH_LOG_LEVEL": "WARNING"}
    base = work / "base"
    shutil.copytree(REPO / "data" / "raw", base / "raw", ignore=shutil.ignore_patterns("ingest_order.csv"))
    print("building the base warehouse from the bundled data (what `make run` builds) ...", flush=True)
    seconds, _rss, code = timed([str(CLI), "--home", str(base), "refresh"], env)
    if code != 0:
        print("refresh of the bundled data failed", file=sys.stderr)
        return 1
    print(f"  refresh of the bundled data: {seconds:.1f} s")
    if args.only in (None, "fixed"):
        fixed_costs.run(base, work, env, args.runs, real_files_present())
    if args.only in (None, "real"):
        bench_real_files(base, work, env, args.runs)
    if args.only in (None, "designations"):
        bench_designations(base, work, env, args.runs)
    if args.only not in (None, "ingest"):
        shutil.rmtree(work, ignore_errors=True)
        return 0

    big = OUT / f"oil_imports_{args.rows}.csv"
    small = OUT / "oil_imports_1000.csv"
    if not big.exists():
        print(f"generating {big} ...", flush=True)
        generate(args.rows, big)
    if not small.exists():
        pl.read_csv(big, n_rows=1000, infer_schema=False).write_csv(small)
    print(f"big file: {big.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows", flush=True)

    results: dict[str, list[tuple[float, int]]] = {"small": [], "big": []}
    baseline: list[float] = []
    for run in range(args.runs):
        for label, csv in (("small", small), ("big", big)):
            home = work / f"{label}-{run}"
            shutil.copytree(base, home, ignore=shutil.ignore_patterns("build", ".write.lock"))
            seconds, rss, code = timed(
                [str(CLI), "--home", str(home), "ingest", str(csv), "--dataset", "oil_imports"], env
            )
            if code != 0:
                print(f"ingest of {csv.name} exited {code}", file=sys.stderr)
                return 1
            results[label].append((seconds, rss))
            print(f"  run {run + 1}: ingest {label:<5} {seconds:6.2f} s, peak RSS {rss / 1024:6.0f} MiB", flush=True)
            shutil.rmtree(home)
        baseline.append(duckdb_read_csv(big))
        print(f"  run {run + 1}: duckdb read_csv of the big file {baseline[-1]:.2f} s", flush=True)

    small_t = [s for s, _ in results["small"]]
    big_t = [s for s, _ in results["big"]]
    marginal = [b - s for b, s in zip(big_t, small_t, strict=True)]
    ratios = [m / d for m, d in zip(marginal, baseline, strict=True)]
    print()
    print(f"pledgewatch ingest, 1,000 rows        (s): {summary(small_t)}")
    print(f"pledgewatch ingest, {args.rows:,} rows (s): {summary(big_t)}")
    print(f"marginal time of the big file        (s): {summary(marginal)}")
    print(f"duckdb read_csv into a table         (s): {summary(baseline)}")
    print(f"ratio marginal / read_csv                : {summary(ratios)}  target <= 3.0x, aim 2.0x")
    peak = statistics.median(r for _, r in results["big"]) * 1024
    small_peak = statistics.median(r for _, r in results["small"]) * 1024
    print(f"peak RSS of the big ingest        (MiB): {peak / 2**20:.0f}, "
          f"{peak / big.stat().st_size:.2f}x the file's size (target <= 2x)")
    print(f"  the same less the 1,000-row ingest's peak ({small_peak / 2**20:.0f} MiB: the process before the rows): "
          f"{(peak - small_peak) / 2**20:.0f} MiB, {(peak - small_peak) / big.stat().st_size:.2f}x the file's size")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
