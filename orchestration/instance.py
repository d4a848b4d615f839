"""The Dagster instance of a warehouse home: SQLite storage tuned for a run's many small events.

Dagster's SQLite storage opens a new connection for every event it stores (and another to ask
whether its asset-check table exists before each asset check event) and commits each one with a
full fsync; a CLI run of an ingest stores a few hundred events (materialisations, asset
check results, step events), which took most of its time. These storages keep Dagster's schema,
files and queries (the UI reads them as ever) and change only how they connect: one connection
per database, kept open, in WAL mode with ``synchronous=NORMAL`` (SQLite's recommended setting
for WAL: a commit is durable against a crash of the process; after a power cut the last commits
may be lost, never the database). They are configured in the home's ``dagster.yaml``, Dagster's
documented way to choose storage classes, so ``dagster dev`` uses them as well.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as db
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage
from dagster._core.storage.sql import create_engine
from dagster._serdes import ConfigurableClassData

BUSY_TIMEOUT_SECONDS = 30


def _tune(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _engine(conn_string: str) -> db.Engine:
    """An engine that keeps its connection open (SQLAlchemy's default pool for a SQLite file), tuned."""
    engine = create_engine(conn_string, connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
    db.event.listen(engine, "connect", _tune)
    return engine


class TunedSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log (one database per run plus an index), with kept, tuned connections."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: dict[str, db.Engine] = {}
        self._engines_lock = threading.Lock()
        self._tables_seen: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None,
                          config_value: Any) -> TunedSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Any]:
        with self._db_lock:
            engine = self._engine_for(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine_for(self, shard: str) -> db.Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is None:
                engine = self._engines[shard] = _engine(self.conn_string_for_shard(shard))
            return engine

    def has_table(self, table_name: str) -> bool:
        """Whether the index database has ``table_name``, asked on the kept connection; a table once seen is
        remembered (Dagster asks before storing every asset check event, each time on a new connection)."""
        if table_name in self._tables_seen:
            return True
        # not through _connect: Dagster asks this while it holds a connection (and _connect's lock)
        with self._engine_for(INDEX_SHARD_NAME).connect() as conn:
            found = bool(conn.dialect.has_table(conn, table_name))
        if found:
            self._tables_seen.add(table_name)
        return found

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
        super().dispose()


class TunedSqliteRunStorage(SqliteRunStorage):
    """Dagster's SQLite run storage, with a kept, tuned connection."""

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value: Any) -> TunedSqliteRunStorage:
        return cls.from_local(inst_data=inst_data, **config_value)

    @contextmanager
    def connect(self) -> Iterator[Any]:
        engine = getattr(self, "_tuned_engine", None)
        if engine is None:
            engine = self._tuned_engine = _engine(self._conn_string)
        with engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        engine = getattr(self, "_tuned_engine", None)
        if engine is not None:
            engine.dispose()
        super().dispose()


def dagster_yaml(dagster_home: Path) -> str:
    """The ``dagster.yaml`` of a home: telemetry off, the tuned storages where Dagster keeps its history."""
    history = dagster_home / "history"
    return f"""\
# Written by pledgewatch: the Dagster instance of this warehouse home.
telemetry:
  enabled: false
run_storage:
  module: orchestration.instance
  class: TunedSqliteRunStorage
  config:
    base_dir: {history}
event_log_storage:
  module: orchestration.instance
  class: TunedSqliteEventLogStorage
  config:
    base_dir: {history / "runs"}
"""
