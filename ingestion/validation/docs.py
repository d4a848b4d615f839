"""The Great Expectations Data Docs of a home: GE validates the loaded rows and renders the results.

Every dataset's loaded rows (``raw.<dataset>`` of the published warehouse, read-only) are validated
by Great Expectations itself with the suite that gated them; the results are stored in the home's
GE file context and rendered as its Data Docs site. The same expectations run by the load's SQL
engine must give the same outcomes: where they differ, that is a defect, and it is reported.

Built by ``pledgewatch docs`` and after a refresh that loaded files (GE takes seconds to start, so a
small ingest leaves the site to the next refresh, and ``status`` says when it was built).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from ingestion.datasets import DATASETS, SIDE_DATASETS
from ingestion.home import Home
from ingestion.validation.expectations import build_expectations


def build_docs(home: Home, *, say: Callable[[str], None] = print, today: date | None = None) -> list[str]:
    """Validate every loaded dataset with GE and rebuild the Data Docs site; the disagreements found (if any)."""
    import duckdb
    import sqlalchemy

    from ingestion.validation import gx_engine, sql_engine
    from ingestion.validation.context import gx_context

    day = today or date.today()
    disagreements: list[str] = []
    for dataset in (*DATASETS.values(), *SIDE_DATASETS.values()):
        scratch = f":memory:pledgewatch_docs_{dataset.name}"
        engine = sqlalchemy.create_engine(f"duckdb:///{scratch}")
        holder = engine.raw_connection()  # keeps the in-memory database alive while GE runs
        try:
            con: duckdb.DuckDBPyConnection = holder.driver_connection
            con.execute(f"ATTACH '{_quoted(home.warehouse)}' AS published (READ_ONLY)")
            try:
                con.execute(f"CREATE TABLE {dataset.name} AS SELECT * FROM published.raw.{dataset.name}")
            except duckdb.CatalogException:
                continue  # a warehouse built before the dataset existed
            finally:
                con.execute("DETACH published")
            if not con.execute(f"SELECT count(*) FROM {dataset.name}").fetchone()[0]:
                continue
            say(f"Data Docs: validating raw.{dataset.name} with Great Expectations ...")
            by_gx = gx_engine.run_suite(home.gx, dataset, scratch, dataset.name, today=day, purpose="warehouse")
            by_sql = sql_engine.run_expectations(con, dataset.name, build_expectations(dataset, day))
            for ours, theirs in zip(by_sql, by_gx, strict=True):
                if (ours.success, ours.unexpected_count) != (theirs.success, theirs.unexpected_count):
                    disagreements.append(
                        f"raw.{dataset.name} {ours.check} on {ours.column}: Great Expectations finds "
                        f"{theirs.unexpected_count} unexpected value(s), the load's SQL engine {ours.unexpected_count}")
        finally:
            holder.close()
            engine.dispose()
    gx_context(home.gx).build_data_docs()
    for line in disagreements:
        say(f"warning: {line}: a defect of pledgewatch, please report it")
    return disagreements


def docs_path(home: Home) -> Path | None:
    """The Data Docs index page, if it has been built."""
    return home.docs_index if home.docs_index.exists() else None


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
