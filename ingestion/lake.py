"""The lake: the warehouse's loaded tables as Parquet under ``<home>/lake/<schema>/<table>/``, for engines
other than DuckDB (Spark reads them: ``PLEDGEWATCH_ENGINE=spark``).

The lake is derived from the warehouse and always shows one published state of it, whole. It is written
from the working copy that is about to be published (``ingestion.warehouse.publish_build``): every table
the dbt models read (``raw``, ``ref``, ``history``, ``meta.file_registry``, ``meta.source_releases``) is
copied with DuckDB's ``COPY ... TO`` into a new folder ``lakes/<version>/`` (large tables partitioned:
``raw.oil_imports`` by year), whose manifest ``_lake.json`` is written last; ``lake`` is a symbolic link
to the live version, switched by an atomic rename after the warehouse itself was renamed. A rejected or
failed load publishes nothing, so the lake stays as it was; a crash between the two renames leaves the
previous lake whole, and the next writer (:func:`settle_lake`, when it takes the lock) finds that the
manifest does not name the published warehouse and points ``lake`` at the version that does (or writes
it from the published warehouse). A table whose rows did not change since the live version is not
written again: its files are hard-linked from it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion.bulk_writes import in_any_order
from ingestion.home import Home

#: Schemas copied whole, and the tables of ``meta`` the models read.
LAKE_SCHEMAS = ("raw", "ref", "history")
LAKE_META_TABLES = ("file_registry", "source_releases")
#: Tables partitioned in the lake (``schema.table`` -> (partition column, its expression)).
PARTITIONS: dict[str, tuple[str, str]] = {"raw.oil_imports": ("year", "year(period)")}
MANIFEST = "_lake.json"


def lake_root(home: Home) -> Path:
    """``<home>/lake``: the link to the live version."""
    return home.root / "lake"


def versions_dir(home: Home) -> Path:
    """``<home>/lakes``: the versions of the lake (the live one, and one being written by a run)."""
    return home.root / "lakes"


def lake_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """``schema.table`` of every table the lake holds, in name order."""
    rows = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN "
        f"({', '.join('?' for _ in LAKE_SCHEMAS)}) OR (schema_name = 'meta' AND table_name IN "
        f"({', '.join('?' for _ in LAKE_META_TABLES)})) ORDER BY 1, 2",
        [*LAKE_SCHEMAS, *LAKE_META_TABLES],
    ).fetchall()
    return [f"{schema}.{table}" for schema, table in rows]


def fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """An order-independent fingerprint of each lake table's rows and columns: a table whose fingerprint is
    unchanged need not be written again."""
    out: dict[str, str] = {}
    for table in lake_tables(con):
        schema, name = table.split(".")
        columns = con.execute("SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) "
                              "FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
                              [schema, name]).fetchone()[0]
        rows, digest = con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {table} AS t").fetchone()
        out[table] = f"{rows}:{digest}:{columns}"
    return out


def read_manifest(folder: Path) -> dict | None:
    """The manifest of a lake version, None when it is absent (a version not written to the end)."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def live_version(home: Home) -> Path | None:
    """The version the ``lake`` link points at, if it is complete."""
    link = lake_root(home)
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if read_manifest(target) is not None else None


def stage_lake(con: duckdb.DuckDBPyConnection, home: Home, *, warehouse_stamp: dict | None = None) -> Path:
    """Write the lake of the warehouse of ``con`` as a new complete version under ``lakes/`` (not live yet);
    its folder. Tables unchanged since a complete version are hard-linked from it.

    ``warehouse_stamp`` (size and mtime of the warehouse file it is the lake of) is recorded in its manifest;
    :func:`seal` records it later for a working copy not yet closed."""
    prints = fingerprints(con)
    known = [(folder, manifest) for folder in _versions(home) if (manifest := read_manifest(folder)) is not None]
    for folder, manifest in known:
        if manifest["tables"] == prints:  # this very state is staged already (e.g. by a Spark build)
            _write_manifest(folder, prints, warehouse_stamp)
            return folder
    versions_dir(home).mkdir(parents=True, exist_ok=True)
    version = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    partial = versions_dir(home) / f".{version}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        with in_any_order(con):  # the lake's readers do not rely on the order of a table's rows
            for table, fingerprint in prints.items():
                parts = table.split(".")
                target = partial.joinpath(*parts)
                reused = next((folder for folder, manifest in known if manifest["tables"].get(table) == fingerprint
                               and folder.joinpath(*parts).is_dir()), None)
                if reused is not None:
                    _link_tree(reused.joinpath(*parts), target)
                else:
                    _copy_table(con, table, target)
        _write_manifest(partial, prints, warehouse_stamp)
        folder = versions_dir(home) / version
        os.replace(partial, folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def _copy_table(con: duckdb.DuckDBPyConnection, table: str, target: Path) -> None:
    """``COPY`` one table to Parquet files in ``target`` (partitioned where :data:`PARTITIONS` says so and the
    table has rows; an empty table is one file that carries its columns, the partition column too)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partition = PARTITIONS.get(table)
    select = f"SELECT * FROM {table}"
    if partition is not None:
        select = f"SELECT *, {partition[1]} AS {partition[0]} FROM {table}"
    empty = con.execute(f"SELECT count(*) = 0 FROM (SELECT 1 FROM {table} LIMIT 1)").fetchone()[0]
    if partition is None or empty:
        target.mkdir()
        con.execute(f"COPY ({select}) TO '{_sql_path(target / 'data_0.parquet')}' (FORMAT parquet)")
        return
    # one COPY per partition value, into the folders DuckDB's PARTITION_BY writes (``<column>=<value>/``, the
    # partition column left out of the files): a partitioned COPY buffers every partition's row groups at once
    # (about 0.9 GB for 2M rows), one COPY at a time streams them (a third of that, in about the same time)
    column, expression = partition
    values = [v for (v,) in con.execute(f"SELECT DISTINCT {expression} FROM {table} ORDER BY 1").fetchall()]
    target.mkdir()
    for value in values:
        folder = target / f"{column}={'NULL' if value is None else value}"
        folder.mkdir()
        where = f"{expression} IS NULL" if value is None else f"{expression} = {_sql_literal(value)}"
        con.execute(f"COPY (SELECT * FROM {table} WHERE {where}) TO '{_sql_path(folder / 'data_0.parquet')}' "
                    "(FORMAT parquet)")


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _sql_literal(value: object) -> str:
    """A partition value as SQL (a number as it is, anything else as text cast back by the comparison)."""
    if isinstance(value, bool | int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _link_tree(source: Path, target: Path) -> None:
    """``target``: the same files as ``source``, hard-linked (copied where links are not possible)."""
    shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def seal(folder: Path, warehouse_stamp: dict) -> None:
    """Record in a staged version the stamp of the warehouse file it is the lake of (before that file is
    published)."""
    manifest = read_manifest(folder)
    if manifest is None:
        raise FileNotFoundError(f"{folder} is not a complete lake version")
    _write_manifest(folder, manifest["tables"], warehouse_stamp)


def _write_manifest(folder: Path, prints: dict[str, str], warehouse_stamp: dict | None) -> None:
    manifest = {"tables": prints, "warehouse": warehouse_stamp,
                "partitions": {table: column for table, (column, _) in PARTITIONS.items()}}
    partial = folder / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    os.replace(partial, folder / MANIFEST)


def _versions(home: Home) -> list[Path]:
    """Complete-looking version folders (not ``.partial``), newest first."""
    if not versions_dir(home).is_dir():
        return []
    return sorted((p for p in versions_dir(home).iterdir() if p.is_dir() and not p.name.startswith(".")),
                  reverse=True)


def make_live(home: Home, folder: Path) -> None:
    """Point ``lake`` at ``folder`` (atomically: a new link renamed over the old one), then drop the other
    versions."""
    link = lake_root(home)
    if link.exists() and not link.is_symlink():  # a lake written by hand or by an older layout: set aside
        shutil.rmtree(link) if link.is_dir() else link.unlink()
    fresh = home.root / f".lake.{uuid.uuid4().hex[:8]}.link"
    os.symlink(os.path.relpath(folder, home.root), fresh)
    os.replace(fresh, link)
    with contextlib.suppress(OSError):
        directory = os.open(home.root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    discard_other_versions(home)


def discard_other_versions(home: Home) -> None:
    """Remove every version but the live one (what a run or a crash left)."""
    live = live_version(home)
    if not versions_dir(home).is_dir():
        return
    for entry in versions_dir(home).iterdir():
        if live is None or entry.resolve() != live:
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)


def settle_lake(home: Home, warehouse_stamp: dict | None) -> None:
    """Make the live lake the one of the published warehouse (``warehouse_stamp``: its size and mtime) where a
    crash left it behind: point ``lake`` at a complete version written for it, else write one from it."""
    if not home.warehouse.exists() or warehouse_stamp is None:
        return
    live = live_version(home)
    if live is not None and read_manifest(live).get("warehouse") == warehouse_stamp:
        discard_other_versions(home)
        return
    for folder in _versions(home):
        manifest = read_manifest(folder)
        if manifest is not None and manifest.get("warehouse") == warehouse_stamp:
            make_live(home, folder)
            return
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        folder = stage_lake(con, home, warehouse_stamp=warehouse_stamp)
    finally:
        con.close()
    make_live(home, folder)
