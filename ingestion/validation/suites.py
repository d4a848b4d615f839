"""One expectation suite per dataset, built from the dataset's declaration (EXTRACTS.md rules).

Every expectation carries, in its ``meta``, the check's name, the column it reports on and
the reason a person reads, so results turn into problems without knowing the expectation.
The same suite validates one incoming file (before it is committed) and the committed table
of every file (as Dagster asset checks); uniqueness is therefore per ``source_file``.
"""

from __future__ import annotations

from datetime import date, timedelta

import great_expectations as gx

from ingestion.contracts import Dataset
from ingestion.normalize.values import MAX_TEXT_LENGTH

#: How far in the future a date that must not be in the future may lie.
FUTURE_TOLERANCE = timedelta(days=31)


def _meta(check: str, column: str, reason: str, **extra: str) -> dict:
    return {"check": check, "column": column, "reason": reason, **extra}


def _rows_query(select: str, where: str = "") -> str:
    """An UnexpectedRows query returning ``source_row``, ``value`` (and ``first_row``)."""
    return f"select {select} from {{batch}} {where}".strip()


def build_expectations(dataset: Dataset, today: date) -> list:
    """The expectations of ``dataset``'s suite."""
    expectations: list = []
    for col in dataset.columns:
        if col.required:
            expectations.append(gx.expectations.ExpectColumnValuesToNotBeNull(
                column=col.name, meta=_meta("required", col.name, "required value missing"),
            ))
        if col.enum:
            expectations.append(gx.expectations.ExpectColumnValuesToBeInSet(
                column=col.name, value_set=list(col.enum),
                meta=_meta("enum", col.name, f"unknown {col.name} value; allowed: {', '.join(col.enum)}",
                           suggest_from=",".join(col.enum)),
            ))
        if col.min_value is not None:
            expectations.append(gx.expectations.ExpectColumnValuesToBeBetween(
                column=col.name, min_value=col.min_value,
                meta=_meta("min_value", col.name, f"must be >= {col.min_value:g}"),
            ))
        if col.int_range is not None:
            low, high = col.int_range
            expectations.append(gx.expectations.ExpectColumnValuesToBeBetween(
                column=col.name, min_value=low, max_value=high,
                meta=_meta("range", col.name, f"must be between {low} and {high}"),
            ))
        if col.not_future:
            limit = today + FUTURE_TOLERANCE
            expectations.append(gx.expectations.ExpectColumnValuesToBeBetween(
                column=col.name, max_value=limit.isoformat(),
                meta=_meta("not_future", col.name, f"lies more than {FUTURE_TOLERANCE.days} days in the future "
                           f"(after {limit.isoformat()})"),
            ))
        if col.type in ("text", "url"):
            expectations.append(gx.expectations.ExpectColumnValueLengthsToBeBetween(
                column=col.name, max_value=MAX_TEXT_LENGTH,
                meta=_meta("text_length", col.name,
                           f"text of {{length}} characters; at most {MAX_TEXT_LENGTH} are allowed"),
            ))
    for rule in dataset.rules:
        expectations.append(gx.expectations.UnexpectedRowsExpectation(
            unexpected_rows_query=_rows_query(f"source_row, cast({rule.column} as varchar) as value",
                                              f"where {rule.violated_when}"),
            description=rule.reason,
            meta=_meta(rule.name, rule.column, rule.reason, uses=",".join(rule.uses)),
        ))
    for id_col in dataset.unique_in_file:
        # a derived id (from the row's content) duplicates only with a duplicate row, reported below
        given = f"where not coalesce({id_col}_derived, false)" if id_col == dataset.id_column else ""
        expectations.append(gx.expectations.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                f"select source_row, {id_col} as value, first_row from ("
                f"select source_row, {id_col}, min(source_row) over (partition by source_file, {id_col}) as first_row "
                f"from {{batch}} {given}) where source_row <> first_row"
            ),
            description=f"{id_col} is unique within a file",
            meta=_meta("unique_id", id_col, f"duplicate {id_col}: already used on row {{first_row}}"),
        ))
    # rows repeated: a hash aggregation finds the repeated contents (usually none), then their rows
    # (several times faster than a window partitioned by every column, on millions of rows)
    columns = ", ".join(f'"{c}"' for c in dataset.extract_columns)
    same = " and ".join(f'b."{c}" is not distinct from d."{c}"' for c in dataset.extract_columns)
    expectations.append(gx.expectations.UnexpectedRowsExpectation(
        unexpected_rows_query=(
            f"select b.source_row, null as value, d.first_row from {{batch}} as b join ("
            f"select source_file, {columns}, min(source_row) as first_row from {{batch}} "
            f"group by all having count(*) > 1) as d on b.source_file = d.source_file and {same} "
            f"where b.source_row <> d.first_row"
        ),
        description="no row appears twice in a file",
        meta=_meta("unique_row", "(row)", "the same row as row {first_row}"),
    ))
    return expectations


def build_suite(dataset: Dataset, today: date) -> gx.ExpectationSuite:
    """The expectation suite ``<dataset>`` as of ``today`` (the future-date limit moves with it)."""
    suite = gx.ExpectationSuite(
        name=dataset.name,
        meta={"dataset": dataset.name, "contract": "EXTRACTS.md", "as_of": today.isoformat()},
    )
    for expectation in build_expectations(dataset, today):
        suite.add_expectation(expectation)
    return suite
