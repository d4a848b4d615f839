"""Resources, configured in one place: the warehouse a run writes, and dbt."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from ingestion.bulk_writes import connect_build
from ingestion.home import Home
from ingestion.warehouse import (
    DEFAULT_LOCK_TIMEOUT,
    acquire_write_lock,
    discard_build,
    holds_write_lock,
    publish_build,
    release_write_lock,
    start_build,
)
from ingestion.warehouse_damage import WarehouseDamaged, damage, damaged_message
from ingestion.warehouse_schema import ensure_schema


class WarehouseResource(ConfigurableResource):
    """The warehouse of one home, as a run sees it: a private working copy.

    For the run's duration the home's write lock is held (by the CLI that started the run, else by
    this resource); the run writes a copy of the published warehouse, and :meth:`publish` swaps it
    in. A run that does not publish leaves the published warehouse untouched.
    """

    home: str
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT

    _home: Home = PrivateAttr()
    _run_id: str = PrivateAttr()
    _published: bool = PrivateAttr(default=False)
    _owns_lock: bool = PrivateAttr(default=False)
    _con: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._home = Home.resolve(self.home)
        self._run_id = context.run_id or "adhoc"
        self._owns_lock = not holds_write_lock(self._home)
        if self._owns_lock:
            acquire_write_lock(self._home, timeout=self.lock_timeout,
                               notify=context.log.info if context.log else None,
                               command=f"dagster run {self._run_id[:8]}")
        if not self._home.build.exists() and (reason := damage(self._home)) is not None:
            if self._owns_lock:
                release_write_lock(self._home)
            raise WarehouseDamaged(damaged_message(self._home, reason))
        start_build(self._home)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        self.close()
        if not self._published:
            discard_build(self._home)
        if self._owns_lock:
            release_write_lock(self._home)

    @property
    def paths(self) -> Home:
        """The home's paths."""
        return self._home

    @property
    def run_id(self) -> str:
        """The run this resource serves."""
        return self._run_id

    @property
    def build_path(self) -> Path:
        """The run's working copy of the warehouse."""
        return self._home.build

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to the run's working copy.

        One connection serves every step of the run (opening the file and checking its schema cost a fifth of a
        second each time); it is closed before the copy is published and when the run ends.
        """
        if self._con is None:
            con = connect_build(self.build_path)
            try:
                ensure_schema(con)
            except BaseException:
                con.close()
                raise
            self._con = con
        yield self._con

    def close(self) -> None:
        """Close the run's connection (before another process, such as dbt, opens the working copy)."""
        if self._con is not None:
            con, self._con = self._con, None
            con.close()

    def publish(self) -> None:
        """Swap the working copy in as the published warehouse."""
        self.close()
        publish_build(self._home)
        self._published = True


class EngineResource(ConfigurableResource):
    """Which engine builds the dbt models besides DuckDB's warehouse: ``duckdb`` (none) or ``spark``.

    ``engine`` unset: ``$PLEDGEWATCH_ENGINE``, else ``duckdb``. With ``spark``, a run that publishes the
    warehouse then builds the models on Spark from the lake it published (the ``spark_marts`` asset).
    """

    engine: str | None = None

    def chosen(self) -> str:
        """The engine this run uses (:func:`orchestration.engines.engine`)."""
        from orchestration.engines import engine

        return engine(self.engine)
