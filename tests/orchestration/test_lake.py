"""The lake: the published warehouse's loaded tables as Parquet under ``<home>/lake``, whole, old or new."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import duckdb

from ingestion.home import Home
from ingestion.lake import lake_root, live_version, read_manifest, settle_lake, stage_lake
from ingestion.warehouse_damage import stamp_of
from tests.conftest import FIXTURES, REPO, query_home, run_cli

BAD_OIL = REPO / "tests" / "corpus" / "bad" / "oil_imports__negative_volume.csv"


def lake_rows(home: Home, table: str) -> int:
    """Rows of a lake table, read back from its Parquet files."""
    folder = lake_root(home).joinpath(*table.split("."))
    con = duckdb.connect()
    try:
        return con.execute(f"SELECT count(*) FROM read_parquet('{folder}/**/*.parquet')").fetchone()[0]
    finally:
        con.close()


def lake_files(home: Home) -> dict[str, str]:
    """Every data file of the live lake (path relative to it -> SHA-256), and its tables' fingerprints (the
    manifest also names the warehouse file, which a rejection publishes again with its load log)."""
    root = lake_root(home).resolve()
    files = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(root.rglob("*.parquet"))}
    return {**files, "tables": read_manifest(root)["tables"]}


def test_a_load_writes_the_lake_beside_the_warehouse_partitioned_where_large(home: Home, tmp_path: Path):
    source = tmp_path / "oil.csv"
    shutil.copyfile(FIXTURES / "synthetic_oil_imports_routes.csv", source)
    assert run_cli("--home", str(home.root), "ingest", str(source), "--dataset", "oil_imports") == 0
    assert lake_root(home).is_symlink()
    for table in ("raw.pledges", "raw.oil_imports", "ref.countries", "meta.file_registry",
                  "history.designation_entries"):
        (expected,) = query_home(home, f"SELECT count(*) FROM {table}")[0]
        assert lake_rows(home, table) == expected, table
    years = sorted(p.name for p in (lake_root(home) / "raw" / "oil_imports").iterdir())
    assert years == ["year=2024", "year=2025"]
    assert read_manifest(lake_root(home).resolve())["warehouse"] == stamp_of(home.warehouse)
    # only the live version stays
    assert [p.name for p in (home.root / "lakes").iterdir()] == [lake_root(home).resolve().name]


def test_a_rejected_load_leaves_the_lake_as_it_was(home: Home, tmp_path: Path):
    before_link = os.readlink(lake_root(home)) if lake_root(home).is_symlink() else None
    before = lake_files(home)
    source = tmp_path / "bad.csv"
    shutil.copyfile(BAD_OIL, source)
    assert run_cli("--home", str(home.root), "ingest", str(source), "--dataset", "oil_imports") == 1
    assert lake_files(home) == before
    if before_link is not None:
        assert os.readlink(lake_root(home)) == before_link
    assert lake_rows(home, "raw.oil_imports") == 0


def test_a_crash_between_the_renames_is_settled_by_the_next_writer(home: Home):
    # the warehouse was published with a new lake version, the process died before `lake` was switched
    old = live_version(home)
    con = duckdb.connect(str(home.warehouse))
    con.execute("DELETE FROM raw.positions WHERE load_row > 1")
    con.close()
    stamp = stamp_of(home.warehouse)
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        staged = stage_lake(con, home, warehouse_stamp=stamp)
    finally:
        con.close()
    assert live_version(home) == old and lake_rows(home, "raw.positions") > 1
    settle_lake(home, stamp)
    assert live_version(home) == staged
    assert lake_rows(home, "raw.positions") == 1
    # the lake lost altogether: written again from the published warehouse
    shutil.rmtree(staged)
    settle_lake(home, stamp)
    assert lake_rows(home, "raw.positions") == 1
    assert read_manifest(live_version(home))["warehouse"] == stamp
