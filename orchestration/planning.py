"""What a ``refresh`` has to do, decided without starting Dagster or dbt (a no-op refresh takes a second).

It reads what the published warehouse was built from (:mod:`orchestration.build_state`), the files
under ``raw/`` now, and whether a compiled build of the current dbt project exists
(:mod:`orchestration.dbt_compiled`), and says: nothing, a reload of some datasets, a full run, or a
rebuild from ``raw/`` (the loading code changed, or the published file cannot be read).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ingestion.datasets import DATASETS
from ingestion.home import Home
from ingestion.sources import source_formats
from orchestration.build_state import Plan, current_inputs, plan_refresh, stored_inputs


@dataclass(frozen=True)
class RefreshPlan:
    """A :class:`Plan` and, where the published warehouse cannot be read, why."""

    plan: Plan
    damaged: str | None = None


def plan_for(home: Home, *, full: bool = False) -> RefreshPlan:
    """What ``refresh`` must do in ``home`` (``full``: everything, with dbt, whatever changed)."""
    from orchestration.dbt_compiled import compiled_project

    if not home.warehouse.exists():
        return RefreshPlan(Plan("full", reasons=("there is no warehouse yet",)))
    try:
        con = duckdb.connect(str(home.warehouse), read_only=True)
        try:
            stored = stored_inputs(con)
            con.execute("SELECT count(*) FROM meta.file_registry").fetchone()
        finally:
            con.close()
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0]
        return RefreshPlan(Plan("rebuild", reasons=(f"the warehouse cannot be read ({reason})",)), damaged=reason)
    if full:
        return RefreshPlan(Plan("full", reasons=("--full",)))
    now = current_inputs(home, previous=stored)
    formats = {fmt.name: fmt.dataset for fmt in source_formats().values()}
    return RefreshPlan(plan_refresh(now, stored, compiled=compiled_project(home) is not None, formats=formats,
                                    datasets=tuple(DATASETS)))


def still_rejected(home: Home) -> list[tuple[str, int]]:
    """Files under ``raw/`` whose latest load attempt rejected them (file, problems): a no-op refresh names them."""
    from ingestion.warehouse import connect_readonly

    con = connect_readonly(home)
    try:
        return con.execute(
            "SELECT source_file, problem_count FROM ("
            "  SELECT *, row_number() OVER (PARTITION BY source_file ORDER BY finished_at DESC) AS n "
            "  FROM meta.load_log WHERE outcome IN ('loaded', 'rejected')) "
            "WHERE n = 1 AND outcome = 'rejected' ORDER BY source_file").fetchall()
    finally:
        con.close()
