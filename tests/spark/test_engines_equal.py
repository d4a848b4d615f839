"""The same marts on both engines: DuckDB builds them in the warehouse, Spark (dbt-spark, local mode) from the
lake the same load published; every mart must hold the same rows, compared row by row (a hash per row, numbers
rounded, order-independent), on the warehouse of every real publisher file (which holds the bundled extracts
too), or on the bundled one where the real files are absent.

The Spark build is the one ``PLEDGEWATCH_ENGINE=spark`` makes an ingest run (``orchestration/assets/spark.py``),
so the same build tests the switch. Spark needs Java 17 and the ``spark`` extra: without them the tests skip
and say why. One Spark build per module (a module fixture): the JVM's start and the build take most of the time.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.home import Home
from ingestion.lake import lake_root
from orchestration.engines import BUILT_FROM, SparkBuild, spark_home, spark_unavailable
from tests.conftest import REAL_DATA, REPO, copy_home, run_cli

pytestmark = pytest.mark.skipif(spark_unavailable() is not None, reason=str(spark_unavailable()))

SANCTIONS = REAL_DATA / "sanctions"
#: The real files the session's real warehouse (``real_home``) does not hold.
REAL_EXTRA = [SANCTIONS / "canada_sema_2025-05-25.xml", SANCTIONS / "un_consolidated_2020-11-24.xml",
              SANCTIONS / "un_consolidated_2025-04-19.xml", REAL_DATA / "positions" / "unsc_vetoes_1946_sept2022.csv"]
REAL_FILES = [REAL_DATA / "pledges" / "kiel_ust_data_explorer.csv", *REAL_EXTRA]
BUNDLED_VETOES = REPO / "data" / "raw" / "sources" / "unsc-vetoes"

#: Numbers are compared to 12 significant digits and 6 decimal places: the engines sum doubles in different
#: orders, so a sum of CREA's EUR values (~4.5e10) differs in its 17th digit (44599767572.271324 on DuckDB,
#: 44599767572.27132 on Spark), below what 6 decimal places alone can absorb at that size.
DIGITS = 12
PLACES = 6


def normalise(value: object) -> object:
    """A value as both engines must agree on it: numbers as floats rounded, dates and times as ISO text."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)):
        rounded = round(float(f"{float(value):.{DIGITS}g}"), PLACES)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def row_hashes(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[str], Counter]:
    """The columns (by name) of ``relation`` and a multiset of one SHA-256 per row over its normalised values."""
    cursor = con.execute(f"SELECT * FROM {relation}")
    columns = [d[0] for d in cursor.description]
    order = sorted(range(len(columns)), key=lambda i: columns[i])
    hashes: Counter = Counter()
    for row in cursor.fetchall():
        text = repr(tuple(normalise(row[i]) for i in order))
        hashes[hashlib.sha256(text.encode()).hexdigest()] += 1
    return sorted(columns), hashes


def marts_of(home: Home) -> list[str]:
    """The marts of the published warehouse (tables and views)."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        return [name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' UNION "
            "SELECT view_name FROM duckdb_views() WHERE schema_name = 'marts' ORDER BY 1").fetchall()]
    finally:
        con.close()


def compare(home: Home, spark: SparkBuild, mart: str) -> int:
    """Assert the mart holds the same rows on both engines; the number of rows compared."""
    folder = spark.table("marts", mart)
    assert folder.is_dir(), f"Spark built no marts.{mart} ({folder})"
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        duck_columns, duck_rows = row_hashes(con, f"marts.{mart}")
        spark_columns, spark_rows = row_hashes(con, f"read_parquet('{folder}/*.parquet')")
    finally:
        con.close()
    assert spark_columns == duck_columns, mart
    only_duck, only_spark = duck_rows - spark_rows, spark_rows - duck_rows
    assert not only_duck and not only_spark, (
        f"{mart}: {sum(only_duck.values())} row(s) only on DuckDB, {sum(only_spark.values())} only on Spark")
    return sum(duck_rows.values())


def ingest_with_spark(home: Home, *files: Path) -> str:
    """``pledgewatch ingest`` of ``files`` into ``home`` with ``PLEDGEWATCH_ENGINE=spark``: what it printed."""
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as env, contextlib.redirect_stdout(out):
        env.setenv("PLEDGEWATCH_ENGINE", "spark")
        code = run_cli("--home", str(home.root), "ingest", *map(str, files))
    assert code == 0, out.getvalue()[-3000:]
    return out.getvalue()


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, str]:
    """A warehouse whose last ingest ran with the Spark engine, and what that ingest printed.

    Where the real publisher files are present: every one of them (the session's real warehouse, which holds
    the bundled extracts too, plus Canada's and the UN's lists and the UN vetoes); else the bundled warehouse
    plus the bundled copy of the UN vetoes. Either way one Spark build, by the ingest itself.
    """
    if all(path.is_file() for path in REAL_FILES):
        source, files = request.getfixturevalue("real_home"), REAL_EXTRA
    else:
        source, files = request.getfixturevalue("built_home"), sorted(BUNDLED_VETOES.glob("*.csv"))
    home = copy_home(source, tmp_path_factory.mktemp("engines") / "home")
    return home, ingest_with_spark(home, *files)


def test_engine_spark_builds_every_model_on_spark_from_the_published_lake(warehouse: tuple[Home, str]):
    home, printed = warehouse
    marts = spark_home(home) / "warehouse" / "marts.db"
    assert f"marts built on Spark too (PLEDGEWATCH_ENGINE=spark), as Parquet: {marts}" in printed
    built_from = json.loads((spark_home(home) / BUILT_FROM).read_text(encoding="utf-8"))
    assert built_from["lake"] == str(lake_root(home).resolve())
    assert {p.name for p in marts.iterdir()} == set(marts_of(home))
    assert not spark_home(home).with_name("spark.building").exists()


def test_every_mart_holds_the_same_rows_on_both_engines(warehouse: tuple[Home, str]):
    home, _ = warehouse
    spark = SparkBuild(spark_home(home), 0.0)
    marts = marts_of(home)
    assert len(marts) >= 19
    compared = {mart: compare(home, spark, mart) for mart in marts}
    print(f"\nrows compared per mart: {compared}")
    assert sum(compared.values()) > 0


@pytest.mark.skipif(os.environ.get("PLEDGEWATCH_ENGINE", "").lower() == "spark", reason="PLEDGEWATCH_ENGINE=spark")
def test_the_default_engine_builds_nothing_on_spark(built_home: Home):
    assert not spark_home(built_home).exists()
