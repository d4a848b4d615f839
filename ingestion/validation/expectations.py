"""One expectation suite per dataset, built from the dataset's declaration (EXTRACTS.md rules).

The suite is data: each :class:`Expectation` names a Great Expectations expectation type and its
arguments (``to_gx`` builds the GE object from it), and carries in ``meta`` the check's name, the
column it reports on and the reason a person reads, so that results turn into problems without
knowing the expectation. Two engines evaluate the same suite and must agree (a test holds them to
it): :mod:`ingestion.validation.sql_engine` compiles it to a few DuckDB queries and gates every
load; Great Expectations itself runs it for the Data Docs (:mod:`ingestion.validation.gx_engine`).
This module imports neither, so defining a suite costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from ingestion.contracts import Dataset
from ingestion.normalize.values import MAX_TEXT_LENGTH

#: How far in the future a date that must not be in the future may lie.
FUTURE_TOLERANCE = timedelta(days=31)

Kind = Literal["not_null", "in_set", "between", "length_between", "unexpected_rows"]

#: The Great Expectations expectation class of each kind.
GX_TYPES: dict[str, str] = {
    "not_null": "ExpectColumnValuesToNotBeNull",
    "in_set": "ExpectColumnValuesToBeInSet",
    "between": "ExpectColumnValuesToBeBetween",
    "length_between": "ExpectColumnValueLengthsToBeBetween",
    "unexpected_rows": "UnexpectedRowsExpectation",
}


@dataclass(frozen=True)
class Expectation:
    """One expectation of a suite: what GE type it is, its arguments, and how its findings read."""

    kind: Kind
    meta: dict[str, str]
    column: str | None = None
    value_set: tuple[str, ...] = ()
    min_value: Any = None
    max_value: Any = None
    #: ``unexpected_rows`` only: ``select source_row, value[, first_row] from {batch} ...``.
    query: str | None = None
    description: str = ""

    @property
    def check(self) -> str:
        """The check's name (``required``, ``enum``, a rule's name, ...)."""
        return self.meta["check"]

    @property
    def gx_type(self) -> str:
        """The Great Expectations expectation type, in snake case as GE reports it."""
        name = GX_TYPES[self.kind]
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


@dataclass
class CheckOutcome:
    """The result of one expectation on one batch of rows (either engine)."""

    check: str
    column: str
    reason: str
    success: bool
    unexpected_count: int
    #: (source_row, value, first_row) of unexpected values, at most :data:`MAX_ROWS_PER_CHECK`.
    rows: list[tuple[int | None, Any, int | None]] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    expectation: str = ""


#: Unexpected values kept per check (the count is always exact).
MAX_ROWS_PER_CHECK = 10_000


def _meta(check: str, column: str, reason: str, **extra: str) -> dict[str, str]:
    return {"check": check, "column": column, "reason": reason, **extra}


def build_expectations(dataset: Dataset, today: date) -> list[Expectation]:
    """The expectations of ``dataset``'s suite as of ``today`` (the future-date limit moves with it)."""
    expectations: list[Expectation] = []
    for col in dataset.columns:
        if col.required:
            expectations.append(Expectation("not_null", _meta("required", col.name, "required value missing"),
                                            column=col.name))
        if col.enum:
            expectations.append(Expectation(
                "in_set", _meta("enum", col.name, f"unknown {col.name} value; allowed: {', '.join(col.enum)}",
                                suggest_from=",".join(col.enum)),
                column=col.name, value_set=tuple(col.enum),
            ))
        if col.min_value is not None:
            expectations.append(Expectation("between", _meta("min_value", col.name, f"must be >= {col.min_value:g}"),
                                            column=col.name, min_value=col.min_value))
        if col.int_range is not None:
            low, high = col.int_range
            expectations.append(Expectation("between", _meta("range", col.name, f"must be between {low} and {high}"),
                                            column=col.name, min_value=low, max_value=high))
        if col.not_future:
            limit = today + FUTURE_TOLERANCE
            expectations.append(Expectation(
                "between", _meta("not_future", col.name, f"lies more than {FUTURE_TOLERANCE.days} days in the future "
                                 f"(after {limit.isoformat()})"),
                column=col.name, max_value=limit.isoformat(),
            ))
        if col.type in ("text", "url"):
            expectations.append(Expectation(
                "length_between", _meta("text_length", col.name,
                                        f"text of {{length}} characters; at most {MAX_TEXT_LENGTH} are allowed"),
                column=col.name, max_value=MAX_TEXT_LENGTH,
            ))
    for rule in dataset.rules:
        expectations.append(Expectation(
            "unexpected_rows", _meta(rule.name, rule.column, rule.reason, uses=",".join(rule.uses)),
            query=f"select source_row, cast({rule.column} as varchar) as value from {{batch}} "
                  f"where {rule.violated_when}",
            description=rule.reason,
        ))
    for id_col in dataset.unique_in_file:
        # a derived id (from the row's content) duplicates only with a duplicate row, reported below
        given = f"where not coalesce({id_col}_derived, false)" if id_col == dataset.id_column else ""
        expectations.append(Expectation(
            "unexpected_rows", _meta("unique_id", id_col, f"duplicate {id_col}: already used on row {{first_row}}"),
            query=(f"select source_row, {id_col} as value, first_row from ("
                   f"select source_row, {id_col}, min(source_row) over (partition by source_file, {id_col}) "
                   f"as first_row from {{batch}} {given}) where source_row <> first_row"),
            description=f"{id_col} is unique within a file",
        ))
    # rows repeated: a hash aggregation finds the repeated contents (usually none), then their rows
    # (several times faster than a window partitioned by every column, on millions of rows). The contents are
    # grouped only among rows whose hash of the row is shared with another row: rows that are the same have the
    # same hash (DuckDB's hash() is its grouping's, -0.0 and 0.0 or NaNs alike), so the groups found are the same,
    # and grouping one 64-bit hash per row first is several times cheaper than grouping every column of every row.
    columns = ", ".join(f'"{c}"' for c in dataset.extract_columns)
    same = " and ".join(f'b."{c}" is not distinct from d."{c}"' for c in dataset.extract_columns)
    row_hash = f"hash(source_file, {columns})"
    expectations.append(Expectation(
        "unexpected_rows", _meta("unique_row", "(row)", "the same row as row {first_row}"),
        query=(f"select b.source_row, null as value, d.first_row from {{batch}} as b join ("
               f"select source_file, {columns}, min(source_row) as first_row from {{batch}} "
               f"where {row_hash} in (select h from (select {row_hash} as h from {{batch}}) "
               f"group by h having count(*) > 1) "
               f"group by all having count(*) > 1) as d on b.source_file = d.source_file and {same} "
               f"where b.source_row <> d.first_row"),
        description="no row appears twice in a file",
    ))
    return expectations
