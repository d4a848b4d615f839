"""DuckDB settings for writing many rows at once (a big file's insert, the lake's Parquet copies)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


@contextmanager
def in_any_order(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Let the statements run inside write their rows in whatever order DuckDB's threads finish them.

    With insertion order kept (DuckDB's default) an insert of two million rows is written to the file once
    as it runs and once more when the connection checkpoints (about 0.7 s more and a file twice the size on
    the 2-core machine), and a ``COPY ... TO`` Parquet runs on one thread. SQL promises no order without
    ``ORDER BY``, and nothing of ours relies on one: every row carries its place in its file (``source_row``,
    ``load_row``), which is what a query that wants the file's order sorts by. A small file's rows are inserted
    by one thread, in order, as before. The setting is the database's, not the transaction's: it is reset on
    the way out, whatever happens inside.
    """
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute("RESET preserve_insertion_order")


#: DuckDB's memory on a run's connection to the working copy. DuckDB's default, 80% of the machine's memory,
#: lets it keep every block a big load writes in its cache: a 2M-row ingest's run took 0.95 GiB. Beyond this it
#: evicts blocks already written to the file, and spills what a query still needs to ``<file>.tmp``.
BUILD_MEMORY_LIMIT = "256MB"


def connect_build(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a run's working copy of the warehouse, its memory held to
    :data:`BUILD_MEMORY_LIMIT`."""
    con = duckdb.connect(str(path))
    try:
        con.execute(f"SET memory_limit = '{BUILD_MEMORY_LIMIT}'")
    except BaseException:
        con.close()
        raise
    return con
