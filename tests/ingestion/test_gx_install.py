"""The one Great Expectations workaround, held to account: after ``install()`` GE keeps one DuckDB connection.

GE 1.x reads a query's results after closing its connection unless the dialect is in its list of
dialects with a persisted connection; ``install()`` adds DuckDB. If a new GE release renames or drops
that list, or stops consulting it, these tests fail rather than validations going wrong later.
"""

from pathlib import Path

from ingestion.validation.context import install, is_installed


def test_install_adds_duckdb_to_the_persisted_dialects_once():
    install()
    install()
    import great_expectations.execution_engine.sqlalchemy_execution_engine as sql_engine

    assert is_installed()
    assert [d for d in sql_engine._PERSISTED_CONNECTION_DIALECTS if d == "duckdb"] == ["duckdb"]


def test_ge_hands_out_one_kept_connection_for_duckdb(tmp_path: Path):
    install()
    from great_expectations.execution_engine import SqlAlchemyExecutionEngine

    engine = SqlAlchemyExecutionEngine(connection_string=f"duckdb:///{tmp_path / 'gx.duckdb'}")
    with engine.get_connection() as first:
        first.exec_driver_sql("CREATE TEMP TABLE kept AS SELECT 42 AS answer")
    with engine.get_connection() as second:
        # a temp table lives only in its connection: seen again, so GE kept the connection
        assert second is first
        assert second.exec_driver_sql("SELECT answer FROM kept").fetchall() == [(42,)]
