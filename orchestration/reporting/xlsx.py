"""Tables into an Excel workbook, each value as what it is: text stays text, never a formula, URL or number.

Workbooks are written with xlsxwriter in constant-memory mode (rows go to disk as they are written),
so a sheet of millions of cells does not need millions of objects in memory. Excel's limits are
handled here, never by silent truncation: a table past :data:`EXCEL_MAX_ROWS` continues on
``name (2)``, ``name (3)``, …; a sheet name past 31 characters is shortened deterministically;
a text longer than a cell holds is cut and counted.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

#: Rows in one sheet, the header included.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
#: Characters in one cell.
EXCEL_MAX_STRING = 32_767
EXCEL_MAX_SHEET_NAME = 31
#: Integers beyond this lose digits as Excel numbers (doubles), so they are written as text.
_EXACT_INTEGER = 2**53
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_WIDTH_SAMPLE_ROWS = 1_000
_MIN_WIDTH, _MAX_WIDTH = 8, 60

#: Strings are only ever written with ``write_string``; these keep ``write()`` from guessing too.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class ExcelLimit(ValueError):
    """A table that no sheet can hold (more columns than Excel allows)."""


@dataclass
class SheetsWritten:
    """Where one table went: its sheet(s), rows written, and what Excel's limits changed."""

    sheets: list[str] = field(default_factory=list)
    rows: int = 0
    #: text values longer than :data:`EXCEL_MAX_STRING`, cut to it.
    cut_values: int = 0

    def notes(self, table: str) -> list[str]:
        """What a reader of the workbook must know about this table's sheets, one sentence each."""
        notes = []
        if self.sheets and self.sheets[0] != table:
            notes.append(f"sheet name shortened to {self.sheets[0]!r} (Excel allows {EXCEL_MAX_SHEET_NAME} characters)")
        if len(self.sheets) > 1:
            notes.append(f"{self.rows:,} rows split over {len(self.sheets)} sheets "
                         f"({self.sheets[0]!r} to {self.sheets[-1]!r}): Excel holds {EXCEL_MAX_ROWS:,} rows a sheet")
        if self.cut_values:
            notes.append(f"{self.cut_values:,} text value(s) cut to {EXCEL_MAX_STRING:,} characters (Excel's limit)")
        return notes


def open_workbook(path: Path) -> Workbook:
    """A new workbook at ``path`` that writes strings only as text."""
    return xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)


def fit_sheet_name(name: str, suffix: str = "") -> str:
    """``name + suffix`` as a valid sheet name; a name that must change gets a hash of itself, so stays unique."""
    clean = _NOT_IN_SHEET_NAMES.sub("_", name).strip("'")
    if clean == name and len(name) + len(suffix) <= EXCEL_MAX_SHEET_NAME:
        return name + suffix
    digest = hashlib.sha256(name.encode()).hexdigest()[:6]
    keep = EXCEL_MAX_SHEET_NAME - len(suffix) - len(digest) - 1
    return f"{clean[:keep]}~{digest}{suffix}"


def write_table(workbook: Workbook, name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                *, max_rows: int = EXCEL_MAX_ROWS) -> SheetsWritten:
    """Rows under a bold, frozen header on sheet ``name``, continued on ``name (2)``… past ``max_rows``."""
    if len(columns) > EXCEL_MAX_COLUMNS:
        raise ExcelLimit(f"{name} has {len(columns):,} columns; an Excel sheet holds {EXCEL_MAX_COLUMNS:,}")
    if max_rows < 2:
        raise ValueError("a sheet needs room for the header and at least one row")
    rows = iter(rows)
    sample = list(islice(rows, _WIDTH_SAMPLE_ROWS))
    cells = _Cells(workbook, column_widths(columns, sample))
    written = SheetsWritten()
    sheet, row_in_sheet = None, max_rows
    for row in chain(sample, rows):
        if row_in_sheet == max_rows:
            if sheet is not None:
                cells.finish(sheet, max_rows - 1)
            part = f" ({len(written.sheets) + 1})" if written.sheets else ""
            sheet = cells.new_sheet(fit_sheet_name(name, part), columns)
            written.sheets.append(sheet.name)
            row_in_sheet = 1
        for col, value in enumerate(row):
            if value is not None:  # NULL is an empty cell, never 0
                cells.write(sheet, row_in_sheet, col, value)
        row_in_sheet += 1
        written.rows += 1
    if sheet is None:  # no rows: the header alone
        sheet, row_in_sheet = cells.new_sheet(fit_sheet_name(name), columns), 1
        written.sheets.append(sheet.name)
    cells.finish(sheet, row_in_sheet - 1)
    written.cut_values = cells.cut
    return written


def column_widths(columns: Sequence[str], sample: Sequence[Sequence[Any]]) -> list[int]:
    """A width per column, from its name and the longest value in the sample, within 8 to 60 characters."""
    widths = []
    for col, name in enumerate(columns):
        longest = max((_shown_length(row[col]) for row in sample), default=0)
        widths.append(max(_MIN_WIDTH, min(_MAX_WIDTH, max(len(name) + 2, longest + 1))))
    return widths


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    if isinstance(value, bool):
        return 5
    return len(str(value)) if not isinstance(value, str) else max(map(len, value.splitlines() or [""]))


class _Cells:
    """Writes each value with the xlsxwriter call for its type; counts the texts it had to cut."""

    def __init__(self, workbook: Workbook, widths: list[int]) -> None:
        self.workbook = workbook
        self.widths = widths
        self.header = workbook.add_format({"bold": True})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.cut = 0

    def new_sheet(self, name: str, columns: Sequence[str]) -> Worksheet:
        """A sheet with the header row, frozen, and the column widths."""
        sheet = self.workbook.add_worksheet(name)
        for col, (column, width) in enumerate(zip(columns, self.widths, strict=True)):
            sheet.set_column(col, col, width)
            self.text(sheet, 0, col, column, self.header)
        sheet.freeze_panes(1, 0)
        return sheet

    def finish(self, sheet: Worksheet, last_row: int) -> None:
        """Filter buttons over the header and the rows written."""
        if self.widths:
            sheet.autofilter(0, 0, last_row, len(self.widths) - 1)

    def write(self, sheet: Worksheet, row: int, col: int, value: Any) -> None:
        """One non-NULL value in its Excel type: text, number, TRUE/FALSE or a date."""
        if isinstance(value, str):
            self.text(sheet, row, col, value)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, int | float | Decimal):
            self.number(sheet, row, col, value)
        elif isinstance(value, datetime):
            self.timestamp(sheet, row, col, value)
        elif isinstance(value, date):
            if value.year < 1900:  # before Excel's first date: shown as written
                self.text(sheet, row, col, value.isoformat())
            else:
                sheet.write_datetime(row, col, value, self.date)
        else:
            self.text(sheet, row, col, _as_text(value))

    def text(self, sheet: Worksheet, row: int, col: int, value: str, fmt: Any = None) -> None:
        """A string as text, whatever it looks like."""
        if len(value) > EXCEL_MAX_STRING:
            value = value[:EXCEL_MAX_STRING]
            self.cut += 1
        if value.startswith("<r>") and value.endswith("</r>"):
            # xlsxwriter copies a string shaped like this into the sheet as raw XML (its own rich-text
            # marker), which would let a value write other cells or formulas: written as three plain
            # fragments of a rich string instead, which are escaped; the cell's text is unchanged.
            sheet.write_rich_string(row, col, value[:1], value[1:-1], value[-1:], *((fmt,) if fmt else ()))
        else:
            sheet.write_string(row, col, value, fmt)

    def number(self, sheet: Worksheet, row: int, col: int, value: int | float | Decimal) -> None:
        """A number; one Excel cannot hold exactly (NaN, infinity, a huge integer) as its text."""
        as_float = float(value)
        if not math.isfinite(as_float) or (isinstance(value, int) and abs(value) > _EXACT_INTEGER):
            self.text(sheet, row, col, str(value))
        else:
            sheet.write_number(row, col, value if isinstance(value, int | float) else as_float)

    def timestamp(self, sheet: Worksheet, row: int, col: int, value: datetime) -> None:
        """A date and time; one with a time zone in UTC (Excel has no time zones)."""
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        if value.year < 1900:
            self.text(sheet, row, col, value.isoformat(sep=" "))
        else:
            sheet.write_datetime(row, col, value, self.datetime)


def _as_text(value: Any) -> str:
    """Lists and structs as JSON, bytes as hex, anything else (times, intervals, UUIDs) as printed."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=str, ensure_ascii=False)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)
