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
from ingestion.warehouse_damage import damage
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
    reason = damage(home)
    if reason is None:
        try:
            con = duckdb.connect(str(home.warehouse), read_only=True)
            try:
                stored = stored_inputs(con)
            finally:
                con.close()
        except duckdb.Error as exc:
            reason = str(exc).strip().splitlines()[0]
    if reason is not None:
        return RefreshPlan(Plan("rebuild", reasons=(f"the warehouse cannot be read ({reason})",)), damaged=reason)
    if full:
        return RefreshPlan(Plan("full", reasons=("--full",)))
    now = current_inputs(home, previous=stored)
    formats = {fmt.name: fmt.dataset for fmt in source_formats().values()}
    return RefreshPlan(plan_refresh(now, stored, compiled=compiled_project(home) is not None, formats=formats,
                                    datasets=tuple(DATASETS)))


def repair_ingest_order(home: Home, *, write: bool = True) -> list[str]:
    """Put back what ``raw/ingest_order.csv`` lost or contradicts from the published warehouse's file registry
    (``write``: the caller holds the write lock; else only say what would be put right); what was put right,
    for the command to say loudly.

    Raises :class:`ingestion.ingest_order.IngestOrderError` when the file cannot be read.
    """
    from ingestion.ingest_order import IngestOrder
    from ingestion.warehouse import connect_readonly

    order = IngestOrder.read(home.raw)
    if not home.warehouse.exists():
        return []
    con = connect_readonly(home)
    try:
        loaded = {name: (seq, sha) for name, seq, sha in con.execute(
            "SELECT source_file, ingest_seq, source_sha256 FROM meta.file_registry").fetchall()}
    finally:
        con.close()
    warnings = order.reconcile(loaded)
    if warnings and write:
        order.write()
    return warnings
