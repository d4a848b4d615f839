"""Problems found in a file: one list, every problem at once, file/row/column/value/reason."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field

import polars as pl

#: Columns of a problems frame, as produced by the vectorised checks.
PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "check": pl.String(),
    "reason": pl.String(),
}


@dataclass(frozen=True)
class Problem:
    """One problem of a file; ``row`` is None for file-level problems."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    check: str
    reason: str

    def as_text(self) -> str:
        """One line for people: ``file:row: column 'value': reason``."""
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        what = ""
        if self.column:
            what = f" column {self.column}"
            if self.value is not None:
                what += f" value {_short(self.value)!r}"
        return f"{where}:{what}: {self.reason}" if what else f"{where}: {self.reason}"


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."


class FileRejected(Exception):
    """A file that cannot be loaded; carries every problem found."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        super().__init__(f"{file}: rejected with {len(problems)} problem(s)")


@dataclass
class ProblemList:
    """Problems of one file, collected from frames and single file-level findings."""

    file: str
    frames: list[pl.DataFrame] = field(default_factory=list)
    singles: list[Problem] = field(default_factory=list)

    def add(self, reason: str, *, check: str, row: int | None = None, column: str | None = None,
            value: str | None = None) -> None:
        """Record one problem."""
        self.singles.append(Problem(self.file, row, column, value, check, reason))

    def add_frame(self, frame: pl.DataFrame) -> None:
        """Record problems held in a frame of :data:`PROBLEM_SCHEMA` columns."""
        if frame.height:
            self.frames.append(frame.select(list(PROBLEM_SCHEMA)).cast(PROBLEM_SCHEMA))

    def extend(self, other: ProblemList) -> None:
        """Take every problem of ``other`` (found in another part of the same file)."""
        self.frames.extend(other.frames)
        self.singles.extend(other.singles)

    def __bool__(self) -> bool:
        return bool(self.singles) or any(f.height for f in self.frames)

    def to_list(self) -> list[Problem]:
        """All problems, file-level first, then by row and column."""
        found = list(self.singles)
        if self.frames:
            merged = pl.concat(self.frames).unique(maintain_order=True)
            found.extend(Problem(self.file, **r) for r in merged.iter_rows(named=True))
        unique = list(dict.fromkeys(found))
        return sorted(unique, key=lambda p: (p.row is not None, p.row or 0, p.column or ""))


def problems_to_json(problems: list[Problem]) -> str:
    """JSON list of problems (machine-readable, for the load log)."""
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False)


def escape_formula(value: str | None) -> str | None:
    """Prefix a spreadsheet-formula-like value with ``'`` so CSV output never runs it."""
    if value and value[0] in "=+-@\t\r" and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def problems_to_csv(problems: list[Problem]) -> str:
    """CSV report: file, row, column, value, check, reason (formulas escaped)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["file", "row", "column", "value", "check", "reason"])
    for p in problems:
        writer.writerow([p.file, p.row, p.column, escape_formula(p.value), p.check, p.reason])
    return out.getvalue()
