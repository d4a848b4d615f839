"""Typed rows on disk: a folder of Parquet files (``part-00000.parquet``, ...), one per batch, in row order.

A big file's rows are written here batch by batch as they are parsed (:class:`ingestion.prepare.TypedRows`),
handed from the command that validated them to the run that loads them (:mod:`ingestion.prepared_store`),
validated and loaded by DuckDB reading the parts itself: they are never in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl


def write_part(folder: Path, index: int, rows: pl.DataFrame) -> None:
    """Write ``rows`` as part ``index`` of ``folder`` (LZ4: the quickest of Parquet's codecs to write and read;
    the parts live only until the rows are loaded)."""
    rows.write_parquet(folder / f"part-{index:05d}.parquet", compression="lz4")


def parts_glob(folder: Path) -> str:
    """The pattern of the folder's parts, as DuckDB's ``read_parquet`` and polars' ``scan_parquet`` take it."""
    return str(folder / "part-*.parquet")


def duckdb_source(folder: Path) -> str:
    """SQL reading the folder's rows: ``read_parquet('<folder>/part-*.parquet')``."""
    return "read_parquet('" + parts_glob(folder).replace("'", "''") + "')"


def count(folder: Path) -> int:
    """How many rows the folder holds (from the parts' footers)."""
    return pl.scan_parquet(parts_glob(folder)).select(pl.len()).collect().item()


def read(folder: Path) -> pl.DataFrame:
    """The folder's rows, in memory."""
    return pl.read_parquet(parts_glob(folder))


#: The name a frame of rows is registered under on a connection (:func:`register`).
REGISTERED = "incoming_rows"


def register(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame | Path) -> str:
    """What SQL on ``con`` reads ``rows`` from: a folder's parts (read by DuckDB itself, never in Python's
    memory), or a frame registered as :data:`REGISTERED` for as long as the connection lives (an Arrow view of
    it, text as Arrow's string views, which are polars' own: DuckDB reads the frame's memory, not a copy)."""
    if isinstance(rows, Path):
        return duckdb_source(rows)
    con.register(REGISTERED, rows.to_arrow(compat_level=pl.CompatLevel.newest()))
    return REGISTERED


@contextmanager
def sql_source(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame | Path) -> Iterator[str]:
    """:func:`register` for the statements inside only: a frame is let go on the way out."""
    source = register(con, rows)
    try:
        yield source
    finally:
        if source == REGISTERED:
            con.unregister(REGISTERED)
