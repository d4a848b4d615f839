"""``pledgewatch export``: every mart, its definitions and the files behind it, to take away.

What is written, from a read-only connection to the published warehouse:

- one table per mart of schema ``marts`` (tables and views, found in the catalogue, so a new
  mart is exported without a code change): :data:`LEADING_MARTS` first, the others alphabetically;
- ``definitions``: per mart a row with its description (``column`` empty), then a row per column
  with its data type and description, all from the comments dbt writes (``persist_docs``), and
  where Excel's limits changed a sheet (a shortened name, rows split over sheets) a note saying so;
- ``sources``: one row per loaded file (``meta.file_registry``), with its publisher format or
  ``extract``, publisher, URL, as-of date, SHA-256, rows loaded and skipped, and load time.

As ``xlsx`` one workbook with a sheet each (:mod:`orchestration.reporting.xlsx`); as ``csv`` or
``parquet`` a folder with a file each. The output appears whole or not at all: it is written under
a temporary name beside its destination and renamed into place.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from ingestion.home import Home
from ingestion.problems import escape_formula
from orchestration.reporting.xlsx import EXCEL_MAX_ROWS, ExcelLimit, SheetsWritten, open_workbook, write_table

FORMATS = ("xlsx", "csv", "parquet")
#: Marts exported first, in this order; every other mart follows alphabetically.
LEADING_MARTS = ("country_scorecard", "country_issue", "country_issue_figures")
DEFINITIONS, SOURCES = "definitions", "sources"
#: Rows fetched from the warehouse at a time.
BATCH_ROWS = 65_536
#: The first characters :func:`escape_formula` looks at: only such values need it.
_FORMULA_START = list("=+-@\t\r")
#: Types written to CSV as DuckDB prints them: nested values and bytes (a CSV cell cannot hold them as they
#: are) and enums (so their values are escaped like any text).
_TEXT_IN_CSV = re.compile(r"\[\d*\]$|^(STRUCT|MAP|UNION|ENUM)\(|^BLOB$")

#: What the columns of the sources table hold.
SOURCE_COLUMNS = {
    "dataset": "Dataset the file was loaded into (raw.<dataset>).",
    "source": "Publisher format the file was read as (see `pledgewatch sources`), or `extract` for a file "
              "written to the extract contract.",
    "publisher": "Who publishes the format; for an extract, the source_name its rows cite.",
    "url": "Where the format's releases are published, else the source_url its rows cite.",
    "source_file": "The stored file, relative to the warehouse home: what every fact row's source_file names.",
    "as_of": "Date of the release (--as-of, a date in the file name, or the day it was pulled); empty for extracts.",
    "sha256": "SHA-256 of the file's bytes as loaded.",
    "rows_loaded": "Rows loaded from the file.",
    "rows_skipped": "Publisher rows that could not be mapped or failed validation, left out (an extract is "
                    "loaded whole or rejected, so 0).",
    "loaded_at": "When the file was loaded (UTC).",
}


class ExportError(Exception):
    """The export cannot be written as asked; the message says why."""


@dataclass(frozen=True)
class Mart:
    """One relation of schema ``marts`` and its description."""

    name: str
    description: str | None


@dataclass
class Written:
    """One table written: where (sheets or a file), how many rows, what a reader must know."""

    table: str
    places: list[str]
    rows: int
    notes: list[str] = field(default_factory=list)


@dataclass
class Export:
    """What an export wrote."""

    path: Path
    format: str
    tables: list[Written]

    def summary(self) -> str:
        """The path, each sheet or file with its rows, and any note, for the terminal."""
        size = self.path.stat().st_size if self.path.is_file() else sum(
            p.stat().st_size for p in self.path.iterdir())
        kind = "sheets" if self.format == "xlsx" else "files"
        places = sum(len(w.places) for w in self.tables)
        lines = [f"wrote {self.path} ({self.format}, {size / 1024:,.0f} KiB, {places} {kind})"]
        width = max(len(w.places[0]) for w in self.tables)
        for w in self.tables:
            lines.append(f"  {w.places[0]:<{width}} {w.rows:>12,} rows")
            lines += [f"    note: {note}" for note in w.notes]
        return "\n".join(lines)


def default_out(home: Home, fmt: str, now: datetime | None = None) -> Path:
    """``<home>/exports/pledgewatch_<UTC time>.xlsx``, or a folder ``…_csv`` / ``…_parquet``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    name = f"pledgewatch_{stamp}.xlsx" if fmt == "xlsx" else f"pledgewatch_{stamp}_{fmt}"
    return home.root / "exports" / name


def marts(con: duckdb.DuckDBPyConnection) -> list[Mart]:
    """Every table and view of schema ``marts``, in export order."""
    rows = con.execute("""
        SELECT table_name, comment FROM duckdb_tables()
        WHERE database_name = current_database() AND schema_name = 'marts'
        UNION ALL
        SELECT view_name, comment FROM duckdb_views()
        WHERE database_name = current_database() AND schema_name = 'marts' AND NOT internal
    """).fetchall()
    found = {name: Mart(name, comment) for name, comment in rows}
    order = [n for n in LEADING_MARTS if n in found] + sorted(n for n in found if n not in LEADING_MARTS)
    return [found[n] for n in order]


def export(con: duckdb.DuckDBPyConnection, fmt: str, out: Path, *, max_rows: int = EXCEL_MAX_ROWS) -> Export:
    """Write every mart, ``definitions`` and ``sources`` to ``out`` as ``fmt``; all or nothing."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    _check_destination(out, folder=fmt != "xlsx")
    found = marts(con)
    try:
        with _atomic(out, folder=fmt != "xlsx") as scratch:
            if fmt == "xlsx":
                tables = _write_xlsx(con, found, scratch, max_rows)
            else:
                tables = _write_files(con, found, scratch, fmt)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return Export(out, fmt, tables)


def definitions(con: duckdb.DuckDBPyConnection, found: list[Mart], written: dict[str, Written],
                place: str) -> pl.DataFrame:
    """Per mart its description, then each column's data type and description; ``place``: sheet or file."""
    columns = con.execute("""
        SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'marts'
        ORDER BY table_name, column_index
    """).fetchall()
    by_table: dict[str, list[tuple]] = {}
    for table, column, data_type, comment in columns:
        by_table.setdefault(table, []).append((table, column, data_type, _text(comment), None, None))
    rows: list[tuple] = []
    for mart in found:
        w = written[mart.name]
        rows.append((mart.name, None, None, _text(mart.description), ", ".join(w.places), "; ".join(w.notes) or None))
        rows += by_table.get(mart.name, [])
    rows.append((SOURCES, None, None, "The files the marts were loaded from, one row per file.",
                 ", ".join(written[SOURCES].places) if SOURCES in written else None, None))
    rows += [(SOURCES, column, None, text, None, None) for column, text in SOURCE_COLUMNS.items()]
    schema = {"table": pl.String, "column": pl.String, "data_type": pl.String, "description": pl.String,
              place: pl.String, "note": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _text(description: str | None) -> str | None:
    """A description without the line breaks YAML leaves around it."""
    return description.strip() if description else None


def sources(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per loaded file: dataset, format or ``extract``, publisher, URL, as-of, SHA-256, rows, load time."""
    from ingestion.sources import source_formats

    cited = _cited_by_rows(con)
    frame = pl.from_arrow(con.sql(f"""
        SELECT f.dataset, coalesce(r.source, 'extract') AS source, f.source_file, r.as_of,
               f.source_sha256 AS sha256, f.row_count AS rows_loaded, coalesce(r.rows_skipped, 0) AS rows_skipped,
               f.loaded_at, c.source_names, c.source_urls
        FROM meta.file_registry f
        LEFT JOIN meta.source_releases r ON r.source_file = f.source_file
        LEFT JOIN ({cited}) c ON c.source_file = f.source_file
        ORDER BY f.dataset, f.ingest_seq, f.source_file
    """).to_arrow_table())
    formats = source_formats()
    publishers = {name: fmt.publisher for name, fmt in formats.items()}
    urls = {name: fmt.default_url for name, fmt in formats.items()}
    source = pl.col("source")
    frame = frame.with_columns(
        publisher=pl.when(source == "extract").then(pl.col("source_names"))
        .otherwise(source.replace_strict(publishers, default=None, return_dtype=pl.String)),
        url=pl.coalesce(source.replace_strict(urls, default=None, return_dtype=pl.String), pl.col("source_urls")),
    )
    return frame.select(list(SOURCE_COLUMNS))


def _cited_by_rows(con: duckdb.DuckDBPyConnection) -> str:
    """SQL: per source file, the distinct source_name and source_url its rows in ``raw`` cite."""
    tables = con.execute("""
        SELECT table_name FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'raw'
          AND column_name IN ('source_file', 'source_name', 'source_url')
        GROUP BY table_name HAVING count(*) = 3 ORDER BY table_name
    """).fetchall()
    union = " UNION ALL ".join(
        f'SELECT source_file, source_name, source_url FROM raw."{name}"' for (name,) in tables
    ) or "SELECT NULL::VARCHAR AS source_file, NULL::VARCHAR AS source_name, NULL::VARCHAR AS source_url"
    return f"""
        SELECT source_file,
               string_agg(DISTINCT source_name, '; ' ORDER BY source_name) AS source_names,
               string_agg(DISTINCT source_url, '; ' ORDER BY source_url) AS source_urls
        FROM ({union}) GROUP BY source_file
    """


def query_workbook(out: Path, columns: list[str], rows: Iterable[Sequence[Any]], *,
                   max_rows: int = EXCEL_MAX_ROWS) -> SheetsWritten:
    """One query's rows as the sheet ``query`` (and nothing else) of a workbook at ``out``; all or nothing."""
    _check_destination(out, folder=False)
    try:
        with _atomic(out, folder=False) as scratch:
            workbook = open_workbook(scratch)
            try:
                return write_table(workbook, "query", columns, rows, max_rows=max_rows)
            finally:
                _close(workbook)
    except ExcelLimit as exc:
        raise ExportError(str(exc)) from None
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None


def write_text(out: Path, text: str) -> None:
    """``text`` as the UTF-8 file ``out``; all or nothing."""
    _check_destination(out, folder=False)
    try:
        with _atomic(out, folder=False) as scratch:
            scratch.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None


# -- xlsx ---------------------------------------------------------------------------------------


def _write_xlsx(con: duckdb.DuckDBPyConnection, found: list[Mart], path: Path, max_rows: int) -> list[Written]:
    workbook = open_workbook(path)
    written: dict[str, Written] = {}
    try:
        for mart in found:
            reader = _read(con, mart.name, csv=False)
            sheets = write_table(workbook, _place_name(mart.name), reader.schema.names, _rows(reader),
                                 max_rows=max_rows)
            written[mart.name] = _from_sheets(mart.name, sheets)
        source_rows = sources(con)
        written[SOURCES] = Written(SOURCES, [SOURCES], source_rows.height)
        defined = definitions(con, found, written, "sheet")
        for name, frame in ((DEFINITIONS, defined), (SOURCES, source_rows)):
            sheets = write_table(workbook, name, frame.columns, frame.iter_rows(), max_rows=max_rows)
            written[name] = _from_sheets(name, sheets)
    except ExcelLimit as exc:
        raise ExportError(str(exc)) from None
    finally:
        _close(workbook)
    return [written[m.name] for m in found] + [written[DEFINITIONS], written[SOURCES]]


def _from_sheets(table: str, sheets: SheetsWritten) -> Written:
    return Written(table, sheets.sheets, sheets.rows, sheets.notes(table))


def _close(workbook) -> None:
    """Close a workbook; xlsxwriter's own error for a file it cannot write becomes an OSError."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        workbook.close()
    except FileCreateError as exc:
        raise OSError(str(exc.args[0] if exc.args else exc)) from None


def _rows(reader: pa.RecordBatchReader) -> Iterator[tuple]:
    """The reader's rows as tuples of Python values, a batch at a time."""
    for batch in reader:
        yield from zip(*(column.to_pylist() for column in batch.columns), strict=True)


# -- csv / parquet ------------------------------------------------------------------------------


def _write_files(con: duckdb.DuckDBPyConnection, found: list[Mart], folder: Path, fmt: str) -> list[Written]:
    written: dict[str, Written] = {}
    for mart in found:
        path = folder / f"{_place_name(mart.name)}.{fmt}"
        reader = _read(con, mart.name, csv=fmt == "csv")
        rows = _write_csv(reader, path) if fmt == "csv" else _write_parquet(reader, path)
        written[mart.name] = Written(mart.name, [path.name], rows)
    source_rows = sources(con)
    written[SOURCES] = Written(SOURCES, [f"{SOURCES}.{fmt}"], source_rows.height)
    defined = definitions(con, found, written, "file")
    written[DEFINITIONS] = Written(DEFINITIONS, [f"{DEFINITIONS}.{fmt}"], defined.height)
    for name, frame in ((DEFINITIONS, defined), (SOURCES, source_rows)):
        if fmt == "csv":
            escape_formulas(frame).write_csv(folder / f"{name}.csv")
        else:
            frame.write_parquet(folder / f"{name}.parquet")
    return [written[m.name] for m in found] + [written[DEFINITIONS], written[SOURCES]]


def _write_csv(reader: pa.RecordBatchReader, path: Path) -> int:
    """The reader's rows as UTF-8 CSV under a header, formula-like text escaped; returns the rows."""
    rows = 0
    with path.open("wb") as out:
        pl.from_arrow(reader.schema.empty_table()).write_csv(out)
        for batch in reader:
            escape_formulas(pl.from_arrow(batch)).write_csv(out, include_header=False)
            rows += batch.num_rows
    return rows


def _write_parquet(reader: pa.RecordBatchReader, path: Path) -> int:
    """The reader's rows as Parquet, in their own types; returns the rows."""
    import pyarrow.parquet as pq

    rows = 0
    with pq.ParquetWriter(path, reader.schema) as out:
        for batch in reader:
            out.write_batch(batch)
            rows += batch.num_rows
    return rows


def escape_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text value a spreadsheet would run as a formula, escaped by :func:`escape_formula` (as query CSV)."""
    escaped = []
    for name, dtype in frame.schema.items():
        if dtype != pl.String:
            continue
        column = frame.get_column(name)
        risky = column.str.slice(0, 1).is_in(_FORMULA_START).fill_null(False)
        if risky.any():
            at = risky.arg_true()
            escaped.append(column.clone().scatter(at, [escape_formula(v) for v in column.gather(at).to_list()]))
    return frame.with_columns(escaped) if escaped else frame


# -- reading, places, atomic output -------------------------------------------------------------


def _read(con: duckdb.DuckDBPyConnection, name: str, *, csv: bool) -> pa.RecordBatchReader:
    """A mart's rows, streamed; for CSV, values a cell cannot hold as they are cast to text."""
    select = "*"
    if csv:
        types = con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = 'marts' AND table_name = ? ORDER BY column_index", [name]).fetchall()
        select = ", ".join(
            f'CAST("{_ident(c)}" AS VARCHAR) AS "{_ident(c)}"' if _TEXT_IN_CSV.search(t) else f'"{_ident(c)}"'
            for c, t in types)
    try:
        return con.sql(f'SELECT {select} FROM marts."{_ident(name)}"').to_arrow_reader(BATCH_ROWS)
    except duckdb.Error as exc:
        raise ExportError(f"cannot read marts.{name}: {str(exc).splitlines()[0]}") from None


def _ident(name: str) -> str:
    return name.replace('"', '""')


def _place_name(table: str) -> str:
    """A mart's sheet or file name: its own, or ``marts.<name>`` if it is one of the export's own."""
    return f"marts.{table}" if table.lower() in (DEFINITIONS, SOURCES) else table


def _check_destination(out: Path, *, folder: bool) -> None:
    """Refuse a destination that cannot be made, or that writing would destroy (a folder, a non-empty folder)."""
    blocker = next((p for p in out.parents if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise ExportError(f"cannot write {out}: {blocker} is a file, not a folder")
    if not folder and out.is_dir():
        raise ExportError(f"{out} is a folder: give the path of a file to write")
    if folder and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out} already exists and is not an empty folder: give a new --out")


@contextmanager
def _atomic(out: Path, *, folder: bool) -> Iterator[Path]:
    """A scratch file or folder beside ``out``, renamed to ``out`` on success and removed on failure."""
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = out.parent / f".{out.name}.{secrets.token_hex(4)}.partial"
    if folder:
        scratch.mkdir()
    else:
        scratch.touch(exist_ok=False)  # an unwritable destination fails now, not after the work
    try:
        yield scratch
        os.replace(scratch, out)
    except BaseException:
        if folder:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            scratch.unlink(missing_ok=True)
        raise
