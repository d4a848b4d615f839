"""The same marts on both engines: DuckDB builds them in the warehouse, Spark (dbt-spark, local mode) from the
lake the same refresh wrote; every mart must hold the same rows, compared row by row (a hash per row, floats
rounded, order-independent), on the bundled data and on every real publisher file.

Spark needs Java 17 and the ``spark`` extra: without them the tests skip and say why. One Spark build per
warehouse (module fixtures): the JVM's start and the builds take most of the time.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.home import Home
from ingestion.lake import lake_root
from orchestration.engines import SparkBuild, build_on_spark, spark_unavailable

pytestmark = pytest.mark.skipif(spark_unavailable() is not None, reason=str(spark_unavailable()))

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


def spark_build(home: Home, folder: Path) -> SparkBuild:
    """The marts built on Spark from the lake of ``home``."""
    return build_on_spark(lake_root(home), folder)


@pytest.fixture(scope="module")
def bundled(built_home: Home, tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, SparkBuild]:
    """The bundled warehouse and its marts built on Spark."""
    return built_home, spark_build(built_home, tmp_path_factory.mktemp("spark_bundled"))


@pytest.fixture(scope="module")
def real(real_home: Home, tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, SparkBuild]:
    """The warehouse of every real publisher file and its marts built on Spark (skipped where the files are
    absent)."""
    return real_home, spark_build(real_home, tmp_path_factory.mktemp("spark_real"))


@pytest.mark.parametrize("data", ["bundled", "real"])
def test_every_mart_holds_the_same_rows_on_both_engines(data: str, request: pytest.FixtureRequest):
    home, spark = request.getfixturevalue(data)
    marts = marts_of(home)
    assert len(marts) >= 19
    compared = {mart: compare(home, spark, mart) for mart in marts}
    print(f"\n{data}: Spark build {spark.seconds:.0f} s; rows compared per mart: {compared}")
    assert sum(compared.values()) > 0
