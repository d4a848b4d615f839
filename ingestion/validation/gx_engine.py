"""The expectation suites run by Great Expectations itself, for its Data Docs.

GE validates the loaded rows of each dataset (the published warehouse, read-only) with the same
suite that gated them (:mod:`ingestion.validation.expectations`); its results are stored in the
home's GE file context and rendered as the Data Docs site (`pledgewatch docs`, and every refresh
that loaded files). Where GE finds what the load's SQL engine did not, the difference is a defect
and is reported. The test suite runs both engines on the bad-input corpus and the real files and
asserts identical outcomes.

GE's SQL engine over DuckDB (duckdb-engine) returns no rows out of the box: GE reads results after
closing its connection, and duckdb-engine drops them on close. GE keeps a single persisted
connection for dialects such as sqlite; :func:`ingestion.validation.context.install` adds duckdb to
that list, which makes results survive (GE 1.x).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from ingestion.contracts import Dataset
from ingestion.validation.context import close_engines, forget_contexts, gx_context, install
from ingestion.validation.expectations import (
    GX_TYPES,
    MAX_ROWS_PER_CHECK,
    CheckOutcome,
    Expectation,
    build_expectations,
)


def to_gx(expectation: Expectation) -> Any:
    """The Great Expectations object of an expectation of the suite."""
    import great_expectations as gx

    cls = getattr(gx.expectations, GX_TYPES[expectation.kind])
    if expectation.kind == "unexpected_rows":
        return cls(unexpected_rows_query=expectation.query, description=expectation.description,
                   meta=dict(expectation.meta))
    kwargs: dict[str, Any] = {"column": expectation.column, "meta": dict(expectation.meta)}
    if expectation.kind == "in_set":
        kwargs["value_set"] = list(expectation.value_set)
    if expectation.min_value is not None:
        kwargs["min_value"] = expectation.min_value
    if expectation.max_value is not None:
        kwargs["max_value"] = expectation.max_value
    return cls(**kwargs)


def build_suite(dataset: Dataset, today: date) -> Any:
    """The GE expectation suite ``<dataset>`` as of ``today``."""
    import great_expectations as gx

    suite = gx.ExpectationSuite(
        name=dataset.name,
        meta={"dataset": dataset.name, "contract": "EXTRACTS.md", "as_of": today.isoformat()},
    )
    for expectation in build_expectations(dataset, today):
        suite.add_expectation(to_gx(expectation))
    return suite


def _outcome(result: Any) -> CheckOutcome:
    config = result.expectation_config
    meta = dict(config.meta or {})
    detail = result.result or {}
    rows: list[tuple[int | None, Any, int | None]] = []
    if config.type == "unexpected_rows_expectation":
        count = int(detail.get("observed_value") or 0)
        for row in (detail.get("details") or {}).get("unexpected_rows", []) or []:
            rows.append((row.get("source_row"), row.get("value"), row.get("first_row")))
    else:
        count = int(detail.get("unexpected_count") or 0)
        column = config.kwargs.get("column")
        for item in detail.get("unexpected_index_list") or []:
            rows.append((item.get("source_row"), item.get(column), None))
    failure = _exception_message(result.exception_info)
    if failure is not None:
        raise RuntimeError(f"expectation {config.type} on {meta.get('column')} could not run: {failure}")
    return CheckOutcome(
        check=meta.get("check", config.type), column=meta.get("column", ""), reason=meta.get("reason", ""),
        success=bool(result.success), unexpected_count=count, rows=sorted(rows, key=lambda r: r[0] or 0)[
            :MAX_ROWS_PER_CHECK], meta=meta, expectation=config.type,
    )


def _exception_message(info: Any) -> str | None:
    """The message of an exception an expectation raised, if it raised one.

    GE reports it either at the top of ``exception_info`` or, when a metric failed (a query
    that cannot run), under one key per metric: an expectation whose metric failed must not
    pass for one without unexpected rows.
    """
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


_DEFINITIONS: dict[tuple, Any] = {}


def _datasource(context: Any, name: str, database: Path | str) -> Any:
    """The SQL datasource ``name`` on ``database``, created or re-pointed only when needed."""
    from great_expectations.exceptions import DataContextError

    connection = f"duckdb:///{database}"
    try:
        existing = context.data_sources.get(name)
    except (KeyError, ValueError, LookupError, DataContextError):
        existing = None
    if existing is not None and str(existing.connection_string) == connection:
        return existing
    return context.data_sources.add_or_update_sql(name, connection_string=connection)


def _validation_definition(gx_dir: Path, dataset: Dataset, database: Path | str, table: str, *, today: date,
                           purpose: str, fresh: bool = False) -> Any:
    """The saved validation definition of ``table`` with ``dataset``'s suite (set up once per process).

    Each dataset has its own datasource (``<purpose>_<dataset>``), so setting up one never
    disturbs another's assets.
    """
    import great_expectations as gx

    key = (gx_dir, dataset.name, str(database), table, today, purpose)
    context = gx_context(gx_dir)
    if key in _DEFINITIONS and not fresh:
        return _DEFINITIONS[key]
    name = f"{purpose}_{dataset.name}"
    source = _datasource(context, name, database)
    # get_asset/get_batch_definition, not .assets: only they attach the context (GE 1.x)
    asset_name = table.replace(".", "__")
    if any(a.name == asset_name for a in source.assets):
        asset = source.get_asset(asset_name)
    else:
        schema, _, table_name = table.rpartition(".")
        asset = source.add_table_asset(asset_name, table_name=table_name, schema_name=schema or None)
    if any(b.name == "all" for b in asset.batch_definitions):
        batch = asset.get_batch_definition("all")
    else:
        batch = asset.add_batch_definition_whole_table("all")
    suite = context.suites.add_or_update(build_suite(dataset, today))
    try:
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
    finally:
        # setting up an asset tests the connection, which GE then keeps open: close it
        for datasource in (source, asset._datasource, batch.data_asset._datasource):
            close_engines(datasource)
    _DEFINITIONS[key] = definition
    return definition


def run_suite(gx_dir: Path, dataset: Dataset, database: Path | str, table: str, *, today: date,
              purpose: str) -> list[CheckOutcome]:
    """Validate ``table`` of the DuckDB file ``database`` with ``dataset``'s suite; results stored for Data Docs."""
    from great_expectations.exceptions.resource_freshness import ResourceFreshnessAggregateError

    install()
    definition = _validation_definition(gx_dir, dataset, database, table, today=today, purpose=purpose)
    try:
        result = _run(definition)
    except ResourceFreshnessAggregateError:
        # another process re-saved the context's objects since this one set them up: reload, set up again
        forget_contexts()
        definition = _validation_definition(gx_dir, dataset, database, table, today=today, purpose=purpose,
                                            fresh=True)
        result = _run(definition)
    return [_outcome(r) for r in result.results]


def _run(definition: Any) -> Any:
    try:
        return definition.run(result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": ["source_row"],
            "partial_unexpected_count": 20,
            "return_unexpected_index_query": False,
        })
    finally:
        close_engines(definition.data.data_asset.datasource)
        close_engines(definition.data.data_asset._datasource)


def validate_frame(rows: pl.DataFrame, dataset: Dataset, *, gx_dir: Path, today: date) -> list[CheckOutcome]:
    """Validate one file's normalised rows with GE in a scratch database in memory (conformance tests).

    The scratch is a DuckDB database in this process's memory (``:memory:<name>``), opened through
    duckdb-engine so that GE's own connection joins the same database.
    """
    import sqlalchemy

    install()
    scratch = f":memory:pledgewatch_incoming_{dataset.name}"
    engine = sqlalchemy.create_engine(f"duckdb:///{scratch}")
    holder = engine.raw_connection()  # keeps the in-memory database alive while GE runs
    try:
        con = holder.driver_connection
        frame = rows if "source_file" in rows.columns else rows.with_columns(source_file=pl.lit("incoming"))
        con.register("incoming_rows", frame.to_arrow())
        con.execute(f"CREATE OR REPLACE TABLE {dataset.name} AS SELECT * FROM incoming_rows")
        con.unregister("incoming_rows")
        return run_suite(gx_dir, dataset, scratch, dataset.name, today=today, purpose="incoming")
    finally:
        holder.driver_connection.execute(f"DROP TABLE IF EXISTS {dataset.name}")
        holder.close()
        engine.dispose()
