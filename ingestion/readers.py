"""Read an extract file into a frame of text columns, whatever its format.

Every reader returns the file's own column names and every value as text
(``null`` for empty), plus ``__row``: the record's 1-based position as the
contract defines it. Typing and normalisation happen later, in one place.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

ROW = "__row"
#: Records per batch where a CSV file is read in batches (:func:`read_file_batches`).
BATCH_ROWS = 100_000

#: File suffixes the contract accepts, and the reader of each.
SUFFIXES = (".csv", ".xlsx", ".json", ".jsonl", ".ndjson", ".parquet")


class UnreadableFile(Exception):
    """The file is empty, not of its format, or cannot be read; one clear reason."""


def read_file(path: Path) -> pl.DataFrame:
    """Read ``path`` by its suffix into text columns plus ``__row``."""
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise UnreadableFile(
            f"unsupported file type {suffix or '(none)'!r}; expected one of {', '.join(SUFFIXES)}"
        )
    if path.stat().st_size == 0:
        raise UnreadableFile("the file is empty")
    frame = reader(path)
    if frame.width == 0:
        raise UnreadableFile("the file has no columns")
    if frame.height == 0:
        raise UnreadableFile("the file has a header but no data rows")
    # blank values become null where each column is parsed (ingestion.normalize.values.parse_text)
    frame = frame.select(_as_text_column(frame, name) for name in frame.columns)
    return frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))


def read_file_batches(path: Path, rows: int | None = None) -> Iterator[pl.DataFrame]:
    """:func:`read_file` ``rows`` (:data:`BATCH_ROWS`) records at a time: the same columns, values and ``__row``
    numbers, and the same :class:`UnreadableFile` (raised when the batch that shows it is reached). A CSV file is
    read in batches, so a big one is never in memory whole as text; any other format comes as one batch."""
    if path.suffix.lower() != ".csv" or path.stat().st_size == 0:
        yield read_file(path)
        return
    _check_csv_start(path)
    seen = 0
    try:
        batches = pl.scan_csv(path, infer_schema=False, encoding="utf8").collect_batches(chunk_size=rows or BATCH_ROWS)
        for batch in batches:
            if batch.width == 0 or batch.height == 0:
                continue
            yield batch.with_row_index(ROW, offset=seen + 1).with_columns(pl.col(ROW).cast(pl.Int64))
            seen += batch.height
    except pl.exceptions.PolarsError as exc:
        # worded as the whole-file reader words it: read the file whole for its reason (a rejection is rare)
        read_file(path)
        raise UnreadableFile(f"not a valid CSV file: {str(exc).splitlines()[0]}") from None
    if seen == 0:
        read_file(path)  # a header alone, or no columns: the whole-file reader says which
        raise UnreadableFile("the file has a header but no data rows")


def read_with_lines(path: Path) -> pl.DataFrame:
    """:func:`read_file`, with ``__row`` the physical line where each record starts (a publisher file's provenance).

    An extract's rows are numbered among its data rows (EXTRACTS.md); a publisher's file is cited by
    its own line numbers (header = line 1), which differ where a quoted value spans lines. Formats
    other than CSV keep their record numbers.
    """
    frame = read_file(path)
    if path.suffix.lower() != ".csv":
        return frame
    lines = csv_record_lines(path)
    if len(lines) != frame.height:
        raise UnreadableFile(
            f"the file's records cannot be matched to its lines ({len(lines)} records by line, "
            f"{frame.height} read): is it a well-formed CSV file?"
        )
    return frame.with_columns(pl.Series(ROW, lines, dtype=pl.Int64))


def csv_record_lines(path: Path) -> list[int]:
    """The physical line (1-based) where each data record of a CSV file starts (the header's record not listed)."""
    starts: list[int] = []
    csv.field_size_limit(1 << 30)  # a publisher's long cell is read, not refused
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.reader(fh)
        previous = 0
        try:
            for _record in reader:
                starts.append(previous + 1)
                previous = reader.line_num
        except csv.Error as exc:
            raise UnreadableFile(f"not a valid CSV file: {exc} (line {reader.line_num})") from None
    return starts[1:]


def read_header(path: Path) -> list[str]:
    """The column names of ``path`` as written (a CSV's first record; other formats are read whole)."""
    if path.suffix.lower() == ".csv":
        with path.open("rb") as fh:
            head = fh.read(65536)
        if b"\x00" in head:
            raise UnreadableFile("not a CSV text file (it contains binary data)")
        return [name.strip() for name in _csv_header(head)]
    return [c for c in read_file(path).columns if c != ROW]


def _as_text_column(frame: pl.DataFrame, name: str) -> pl.Series:
    """A column as text; nested or undecodable values make the file unreadable, with the column named."""
    column = frame.get_column(name)
    if isinstance(column.dtype, pl.List | pl.Array | pl.Struct):
        raise UnreadableFile(
            f"column {name!r} holds nested values ({column.dtype}); an extract holds one value per cell"
        )
    try:
        return column.cast(pl.String)
    except pl.exceptions.PolarsError as exc:
        raise UnreadableFile(f"column {name!r} cannot be read as text: {str(exc).splitlines()[0]}") from None


def _check_header(names: list[str]) -> None:
    """A column named twice (the same name, before any renaming by the reader) makes the file ambiguous."""
    seen: dict[str, str] = {}
    for name in names:
        key = name.strip().lower()
        if key and key in seen:
            raise UnreadableFile(f"column {name.strip()!r} appears twice in the header")
        seen[key] = name


def _check_csv_start(path: Path) -> None:
    """Refuse a CSV file whose first bytes are binary or whose header names a column twice."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    if b"\x00" in head:
        raise UnreadableFile("not a CSV text file (it contains binary data)")
    _check_header(_csv_header(head))


def _read_csv(path: Path) -> pl.DataFrame:
    _check_csv_start(path)
    try:
        return pl.read_csv(path, infer_schema=False, encoding="utf8", raise_if_empty=True)
    except pl.exceptions.NoDataError:
        raise UnreadableFile("the file is empty") from None
    except pl.exceptions.ComputeError as exc:
        message = str(exc).splitlines()[0]
        if "utf-8" in message.lower() or "utf8" in message.lower():
            raise UnreadableFile("not UTF-8 text: save the file as UTF-8 CSV") from None
        raise UnreadableFile(f"not a valid CSV file: {message}") from None


def _csv_header(head: bytes) -> list[str]:
    """The names in the first record of a CSV file, as written."""
    text = head.decode("utf-8-sig", errors="replace")
    try:
        return next(csv.reader(io.StringIO(text)), [])
    except csv.Error:
        return []


def _read_xlsx(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_excel(path, engine="calamine", sheet_id=1, infer_schema_length=0)
    except Exception as exc:  # fastexcel raises its own exception types
        first = str(exc).splitlines()[0]
        raise UnreadableFile(f"not a readable .xlsx workbook: {first}") from None
    header, errors = _xlsx_header_and_error_cells(path)
    _check_header(header)
    for (row, col), text in errors.items():  # an error cell (#DIV/0!) is a value that does not parse
        if col < frame.width and row < frame.height:
            name = frame.columns[col]
            frame = frame.with_columns(
                pl.when(pl.int_range(pl.len()) == row).then(pl.lit(text)).otherwise(pl.col(name)).alias(name)
            )
    return frame


def _xlsx_header_and_error_cells(path: Path) -> tuple[list[str], dict[tuple[int, int], str]]:
    """The first sheet's header as written, and its error cells by (data row index, column index)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise UnreadableFile(f"not a readable .xlsx workbook: {str(exc).splitlines()[0]}") from None
    try:
        sheet = book.worksheets[0]
        header: list[str] = []
        errors: dict[tuple[int, int], str] = {}
        for index, cells in enumerate(sheet.iter_rows()):
            if index == 0:
                header = ["" if c.value is None else str(c.value) for c in cells]
                continue
            for col, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "e":
                    errors[(index - 1, col)] = str(cell.value)
        return header, errors
    finally:
        book.close()


def _records_to_frame(records: list[dict], what: str) -> pl.DataFrame:
    columns: dict[str, list[str | None]] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise UnreadableFile(f"{what} {index + 1} is not an object")
        for key in record:
            columns.setdefault(key, [None] * index)
        for key, values in columns.items():
            values.append(_as_text(record.get(key)))
    try:
        return pl.DataFrame(columns, schema={k: pl.String for k in columns})
    except UnicodeEncodeError as exc:
        raise UnreadableFile(f"not valid Unicode text: {exc.reason} in a string value") from None


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _load_json_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("not UTF-8 text") from None


def _read_json(path: Path) -> pl.DataFrame:
    try:
        data = json.loads(_load_json_text(path))
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise UnreadableFile("not a table: the JSON is nested too deeply") from None
    if not isinstance(data, list):
        raise UnreadableFile(f"a .json extract must be an array of objects, this is a JSON {type(data).__name__}")
    if not data:
        raise UnreadableFile("the file has no data rows (an empty array)")
    return _records_to_frame(data, "array element")


def _read_jsonl(path: Path) -> pl.DataFrame:
    records = []
    for number, line in enumerate(_load_json_text(path).splitlines(), start=1):
        if not line.strip():
            raise UnreadableFile(f"line {number} is empty; a .jsonl file holds one object per line")
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise UnreadableFile(f"line {number} is not valid JSON: {exc}") from None
        except RecursionError:
            raise UnreadableFile(f"line {number} is nested too deeply to be a record") from None
    return _records_to_frame(records, "line")


def _read_parquet(path: Path) -> pl.DataFrame:
    try:
        return pl.read_parquet(path)
    except Exception as exc:  # polars/arrow raise several types for bad files
        raise UnreadableFile(f"not a readable Parquet file: {str(exc).splitlines()[0]}") from None


_READERS: dict[str, Callable[[Path], pl.DataFrame]] = {
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".parquet": _read_parquet,
}
