"""Typed rows on disk: a folder of Parquet files (``part-00000.parquet``, ...), one per batch, in row order.

A big file's rows are written here batch by batch as they are parsed (:class:`ingestion.prepare.TypedRows`),
handed from the command that validated them to the run that loads them (:mod:`ingestion.prepared_store`),
validated and loaded by DuckDB reading the parts itself: they are never in memory whole.
"""

from __future__ import annotations

from pathlib import Path

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
