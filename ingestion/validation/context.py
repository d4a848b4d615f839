"""The Great Expectations file context of a warehouse home (``<home>/gx``), offline and quiet.

Nothing here imports Great Expectations until it is used: the load path validates with the SQL
engine and never pays GE's start-up; GE runs for the Data Docs (:mod:`ingestion.validation.gx_engine`).

GE's SQL engine over DuckDB (duckdb-engine) returns no rows out of the box: GE reads results after
closing its connection, and duckdb-engine drops them on close. GE keeps a single persisted
connection for dialects such as sqlite; :func:`install` adds duckdb to that list (it is called
before GE runs, never at import), which makes results survive. A test fails if the pinned GE stops
honouring it.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()


class _DuckDBDialect(str):
    """Stands for the duckdb dialect in GE's list of dialects that keep one connection."""

    value = "duckdb"


def install() -> None:
    """Make GE keep one connection for DuckDB (so its results survive); analytics off. Idempotent."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations.execution_engine.sqlalchemy_execution_engine as sql_engine

    dialects = sql_engine._PERSISTED_CONNECTION_DIALECTS
    if "duckdb" not in dialects:
        sql_engine._PERSISTED_CONNECTION_DIALECTS = (*dialects, _DuckDBDialect("duckdb"))


def is_installed() -> bool:
    """True when GE keeps one connection for DuckDB (see :func:`install`)."""
    import great_expectations.execution_engine.sqlalchemy_execution_engine as sql_engine

    return "duckdb" in sql_engine._PERSISTED_CONNECTION_DIALECTS


def gx_context(gx_dir: Path) -> Any:
    """The file context rooted at ``gx_dir``, made GE's current project (GE resolves stores through it).

    GE 1.x keeps one current context per process; a process that works on several homes
    (tests, a long-lived Dagster process) must switch it before every use.
    """
    from great_expectations.data_context.data_context.context_factory import project_manager

    install()
    context = _load_context(gx_dir)
    project_manager.set_project(context)
    return context


@cache
def _load_context(gx_dir: Path) -> Any:
    """The file context rooted at ``gx_dir`` (created if missing), analytics and progress bars off."""
    import great_expectations as gx

    gx_dir.mkdir(parents=True, exist_ok=True)
    with _LOCK:
        context = gx.get_context(mode="file", project_root_dir=str(gx_dir))
        variables = context.variables
        if variables.config.analytics_enabled is not False or not _progress_bars_off(variables):
            variables.config.analytics_enabled = False
            variables.progress_bars = {"globally": False, "metric_calculations": False}
            variables.save()
    return context


def forget_contexts() -> None:
    """Drop the loaded contexts, so the next use reads each one from disk again."""
    _load_context.cache_clear()


def _progress_bars_off(variables: Any) -> bool:
    bars = variables.progress_bars
    if bars is None:
        return False
    globally = bars.get("globally") if isinstance(bars, dict) else getattr(bars, "globally", None)
    return globally is False


def close_engines(datasource: Any) -> None:
    """Close the persisted connection GE keeps, so other processes (dbt) can open the file."""
    engine = getattr(datasource, "_execution_engine", None)
    if engine is not None:
        if engine._connection is not None:  # the persisted connection: dispose() leaves it open
            engine._connection.close()
            engine._connection = None
        engine.close()
        datasource._execution_engine = None
    sa_engine = getattr(datasource, "_engine", None)
    if sa_engine is not None:
        sa_engine.dispose()
