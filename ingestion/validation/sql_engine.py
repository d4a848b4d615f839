"""The expectation suite compiled to DuckDB queries: the engine that gates every load.

A dataset's suite (:mod:`ingestion.validation.expectations`) is evaluated on the rows of one file
in an in-memory DuckDB database with as few queries as the suite allows: one aggregate query counts
the unexpected values of every column expectation at once, one more lists the values of those that
failed, and each row rule is one query. The semantics are Great Expectations' own (column map
expectations ignore nulls, ``between`` is inclusive, lengths are in characters), and a test runs
GE's engine on the same files and asserts the same outcomes, so the Data Docs GE renders describe
exactly what gated the load. It imports no Great Expectations: validating a small file takes
milliseconds, not the seconds GE needs to start.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from ingestion import row_parts
from ingestion.contracts import Dataset
from ingestion.validation.expectations import (
    MAX_ROWS_PER_CHECK,
    CheckOutcome,
    Expectation,
    build_expectations,
)

BATCH = "batch_rows"


def _literal(value: Any) -> str:
    """A SQL literal of a number or text."""
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def unexpected_condition(expectation: Expectation) -> str:
    """The SQL condition true on a row whose value the column expectation does not expect."""
    column = f'"{expectation.column}"'
    match expectation.kind:
        case "not_null":
            return f"{column} is null"
        case "in_set":
            values = ", ".join(_literal(v) for v in expectation.value_set)
            return f"{column} is not null and {column} not in ({values})"
        case "between":
            parts = []
            if expectation.min_value is not None:
                parts.append(f"{column} < {_literal(expectation.min_value)}")
            if expectation.max_value is not None:
                parts.append(f"{column} > {_literal(expectation.max_value)}")
            return f"{column} is not null and ({' or '.join(parts)})"
        case "length_between":
            return f"{column} is not null and length({column}) > {int(expectation.max_value)}"
    raise ValueError(f"not a column expectation: {expectation.kind}")


def run_expectations(con: duckdb.DuckDBPyConnection, table: str, expectations: list[Expectation]) -> list[CheckOutcome]:
    """Every expectation's outcome on ``table``, in the suite's order."""
    columns = [e for e in expectations if e.kind != "unexpected_rows"]
    outcomes: dict[int, CheckOutcome] = {}
    if columns:
        counts = con.execute(
            "select " + ", ".join(f"count(*) filter (where {unexpected_condition(e)})" for e in columns)
            + f" from {table}"
        ).fetchone()
        for expectation, count in zip(columns, counts, strict=True):
            rows: list[tuple[int | None, Any, int | None]] = []
            if count:
                found = con.execute(
                    f'select source_row, "{expectation.column}" from {table} '
                    f"where {unexpected_condition(expectation)} order by source_row limit {MAX_ROWS_PER_CHECK}"
                ).fetchall()
                rows = [(row, value, None) for row, value in found]
            outcomes[id(expectation)] = _outcome(expectation, int(count), rows)
    for expectation in expectations:
        if expectation.kind != "unexpected_rows":
            continue
        query = expectation.query.replace("{batch}", table)
        count = con.execute(f"select count(*) from ({query})").fetchone()[0]
        rows = []
        if count:
            found = con.execute(f"select * from ({query}) order by source_row limit {MAX_ROWS_PER_CHECK}").fetchall()
            rows = [(r[0], r[1], r[2] if len(r) > 2 else None) for r in found]
        outcomes[id(expectation)] = _outcome(expectation, int(count), rows)
    return [outcomes[id(e)] for e in expectations]


def _outcome(expectation: Expectation, count: int, rows: list) -> CheckOutcome:
    meta = dict(expectation.meta)
    return CheckOutcome(
        check=meta["check"], column=meta.get("column", ""), reason=meta.get("reason", ""), success=count == 0,
        unexpected_count=count, rows=rows, meta=meta, expectation=expectation.gx_type,
    )


def validate_frame(rows: pl.DataFrame | Path, dataset: Dataset, *, today: date) -> list[CheckOutcome]:
    """Validate one file's normalised rows (or the folder holding them: :mod:`ingestion.row_parts`) with
    ``dataset``'s suite, in a private in-memory database."""
    con = duckdb.connect()
    try:
        # the queries scan the rows where they are (a frame's memory, or its parts on disk): no copy is made
        source = row_parts.register(con, rows)
        columns = [d[0] for d in con.execute(f"select * from {source} limit 0").description]
        extra = "" if "source_file" in columns else ", 'incoming' as source_file"
        con.execute(f"create temp view {BATCH} as select *{extra} from {source}")
        return run_expectations(con, BATCH, build_expectations(dataset, today))
    finally:
        con.close()
