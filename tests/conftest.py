"""Shared fixtures: one warehouse built per session from the bundled data, copied per test."""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from ingestion.home import Home

REPO = Path(__file__).resolve().parent.parent
BUNDLED_RAW = REPO / "data" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The real publisher files (not shipped): ``../shared/data/real`` beside the repo, or ``$PLEDGEWATCH_REAL_DATA``
#: (a git worktree elsewhere points there).
REAL_DATA = Path(os.environ.get("PLEDGEWATCH_REAL_DATA") or REPO.parent / "shared" / "data" / "real")

#: Tables the loader and dbt write, whose content must not change on a rejection.
DATA_SCHEMAS = ("raw", "ref", "marts")


def run_cli(*args: str) -> int:
    """Run the ``pledgewatch`` CLI in-process; returns its exit code."""
    from orchestration.cli import main

    return main(list(args))


def copy_home(source: Home, target: Path) -> Home:
    """A copy of a home, without working files of runs."""
    shutil.copytree(source.root, target, ignore=shutil.ignore_patterns("build", ".write.lock"))
    return Home(target)


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A warehouse built once by ``refresh`` from the bundled extracts (do not modify it)."""
    root = tmp_path_factory.mktemp("built") / "home"
    shutil.copytree(BUNDLED_RAW, root / "raw", ignore=shutil.ignore_patterns("sources", "ingest_order.csv"))
    code = run_cli("--home", str(root), "refresh")
    assert code == 0, "refresh of the bundled data failed"
    return Home(root)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="session")
def publisher_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 publishing Kiel's release as the tracker does: ``/data/data_explorer.csv``
    beside ``/data/release_info.csv`` (skipped where the real files are absent)."""
    kiel = REAL_DATA / "pledges"
    if not (kiel / "kiel_ust_data_explorer.csv").is_file():
        pytest.skip(f"the real publisher files are not in {REAL_DATA} (they are not shipped with the project)")
    root = tmp_path_factory.mktemp("publisher")
    (root / "data").mkdir()
    shutil.copyfile(kiel / "kiel_ust_data_explorer.csv", root / "data" / "data_explorer.csv")
    shutil.copyfile(kiel / "kiel_ust_release_info.csv", root / "data" / "release_info.csv")
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def real_home(built_home: Home, publisher_server: str, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The bundled warehouse plus every real publisher file, built once (do not modify it): GSDB,
    ForeignAssistance.gov, CREA's values and the OFAC snapshot ingested, CREA's Dutch shipments with
    ``--importer NL``, Kiel's release pulled over HTTP (with its release file)."""
    real = REAL_DATA
    files = [real / "sanctions" / "GSDB_V3.csv", real / "aid_changes" / "us_foreign_aid_country.csv",
             real / "oil_imports" / "crea_price_cap_ts.csv", real / "sanctions" / "ofac_sdn_2022-02-24.csv"]
    home = copy_home(built_home, tmp_path_factory.mktemp("real") / "home")
    assert run_cli("--home", str(home.root), "ingest", *map(str, files)) == 0
    shipments = real / "oil_imports" / "crea_shipments_to_nl.csv"
    assert run_cli("--home", str(home.root), "ingest", str(shipments), "--importer", "NL") == 0
    assert run_cli("--home", str(home.root), "pull", "kiel-ust", "--from",
                   f"{publisher_server}/data/data_explorer.csv") == 0
    return home


@pytest.fixture
def home(built_home: Home, tmp_path: Path) -> Home:
    """A private copy of the built warehouse home, for tests that change it."""
    return copy_home(built_home, tmp_path / "home")


@pytest.fixture
def query(home: Home) -> Callable[[str], list[tuple]]:
    """Run SQL on the published warehouse of ``home``."""
    return lambda sql: query_home(home, sql)


def query_home(home: Home, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of ``sql`` on the published warehouse of ``home`` (read-only)."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def table_checksums(home: Home, schemas: tuple[str, ...] = DATA_SCHEMAS,
                    exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """An order-independent checksum of every table in ``schemas``, without the ``exclude`` columns."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN "
            f"({', '.join('?' for _ in schemas)}) ORDER BY 1, 2",
            list(schemas),
        ).fetchall()
        sums = {}
        for schema, table in tables:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
                "ORDER BY column_index", [schema, table]).fetchall() if c not in exclude]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'SELECT {select} FROM "{schema}"."{table}"').fetchall()
            digest = hashlib.sha256()
            for row in sorted(repr(r) for r in rows):
                digest.update(row.encode())
            sums[f"{schema}.{table}"] = digest.hexdigest()
        return sums
    finally:
        con.close()


def raw_snapshot(home: Home) -> dict[str, str]:
    """sha256 of every file under ``raw/``."""
    return {
        p.relative_to(home.raw).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(home.raw.rglob("*")) if p.is_file()
    }


def dbt_build_on_copy(built_home: Home, work: Path, add_rows: Callable[[Path], None]) -> Callable[..., list[tuple]]:
    """Copy the built warehouse into ``work``, let ``add_rows`` write to it, run ``dbt build`` on it.

    Returns a read-only query function on the copy. For tests of the models on rows that no
    bundled file holds (publisher releases, list history), without a Dagster run.
    """
    import os
    import subprocess
    import sys

    from orchestration.dbt_manifest import DBT_ENV, DBT_PROJECT_DIR

    warehouse = work / "warehouse.duckdb"
    shutil.copyfile(built_home.warehouse, warehouse)
    add_rows(warehouse)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--profiles-dir", ".",
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        cwd=DBT_PROJECT_DIR, env={**os.environ, **DBT_ENV, "PLEDGEWATCH_DB_PATH": str(warehouse)},
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:]

    def query(sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    return query
