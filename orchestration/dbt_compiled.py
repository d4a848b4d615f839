"""dbt's models and tests run from their compiled SQL, in the run's own DuckDB connection.

A full ``dbt build`` (the first build, a refresh whose dbt project, reference data or loading code
changed, ``refresh --full``) is dbt's: it compiles every model and test and writes a manifest that
holds the SQL it ran. That manifest is kept with a fingerprint of what it was compiled from
(:mod:`orchestration.build_state`). While the fingerprint holds, an ingest or a refresh that only
brings new rows reruns exactly that SQL for the tables downstream of the changed data, and the
tests on them, in the connection that loaded the rows: the same statements dbt would issue, without
starting dbt (a dbt process costs ~10 s here; the SQL of a small ingest runs in 1-3 s).

What is run, per node (as dbt-duckdb materialises it):

- a view: nothing (its definition is unchanged and it reads the new rows);
- a table: ``create or replace table <relation> as select <its contract's columns, in order> from
  (<the model's compiled select>)`` (the compiled SQL passed the contract's type check in the full
  build, on the same schema), then its description and its columns' written back as comments
  (``persist_docs``);
- a test: ``select count(*) from (<compiled test>)``; failures > 0 fail the test (severity error)
  or warn (severity warn), as dbt's defaults (``fail_calc count(*)``, ``error_if != 0``).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb

from ingestion.home import Home
from orchestration.build_state import project_sha256, reference_sha256


class CompiledProjectError(Exception):
    """The compiled manifest cannot run a node (missing SQL, a contract that no longer holds)."""


@dataclass(frozen=True)
class NodeResult:
    """What running one node did."""

    unique_id: str
    resource_type: str  # model | test
    status: str  # built | unchanged_view | pass | fail | warn
    seconds: float
    failures: int = 0
    rows: int | None = None
    message: str = ""


@dataclass(frozen=True)
class CompiledProject:
    """The manifest of a full ``dbt build``: every model's and test's compiled SQL."""

    manifest: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> CompiledProject | None:
        """The compiled manifest at ``path``, or None when absent or unreadable."""
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None

    @property
    def nodes(self) -> dict[str, dict[str, Any]]:
        """Models, tests and seeds by unique id."""
        return self.manifest["nodes"]

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """The manifest's child map."""
        return self.manifest.get("child_map", {})

    def is_complete(self) -> bool:
        """True when every model and test has its compiled SQL (the manifest of a full build)."""
        return all(
            node.get("compiled_code") is not None
            for node in self.nodes.values() if node["resource_type"] in ("model", "test")
        )

    def downstream_models(self, roots: Iterable[str]) -> list[str]:
        """Models that depend on ``roots`` (sources or models), directly or not, in build order."""
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            for child in self.children.get(todo.pop(), []):
                if child not in seen and self.nodes.get(child, {}).get("resource_type") == "model":
                    seen.add(child)
                    todo.append(child)
        return self.build_order(seen)

    def tests_of(self, models: Iterable[str]) -> list[str]:
        """Tests that depend on any of ``models`` (dbt's eager indirect selection), in name order."""
        chosen = set(models)
        return sorted({
            child for model in chosen for child in self.children.get(model, [])
            if child.startswith("test.")
        })

    def build_order(self, models: Iterable[str]) -> list[str]:
        """``models`` in dependency order (a model after the models it reads)."""
        wanted = set(models)
        ordered: list[str] = []
        placed: set[str] = set()

        def place(unique_id: str) -> None:
            if unique_id in placed:
                return
            placed.add(unique_id)
            for parent in self.nodes[unique_id]["depends_on"]["nodes"]:
                if parent in wanted:
                    place(parent)
            ordered.append(unique_id)

        for unique_id in sorted(wanted):
            place(unique_id)
        return ordered

    def relation(self, unique_id: str) -> str:
        """The node's relation as dbt named it (``"warehouse"."marts"."fct_pledges"``)."""
        node = self.nodes[unique_id]
        return node.get("relation_name") or f'"{node["database"]}"."{node["schema"]}"."{node["alias"]}"'


def require_relations(con: duckdb.DuckDBPyConnection, project: CompiledProject) -> None:
    """Raise :class:`CompiledProjectError` unless every model and seed of ``project`` exists in ``con`` (the
    compiled SQL rebuilds tables on top of a built warehouse; a fresh or damaged one needs dbt)."""
    present = set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                              "UNION ALL SELECT schema_name, view_name FROM duckdb_views()").fetchall())
    missing = sorted(f"{node['schema']}.{node.get('alias') or node['name']}" for node in project.nodes.values()
                     if node["resource_type"] in ("model", "seed")
                     and (node["schema"], node.get("alias") or node["name"]) not in present)
    if missing:
        raise CompiledProjectError(f"the build lacks {len(missing)} dbt relation(s) ({', '.join(missing[:3])}"
                                   f"{', ...' if len(missing) > 3 else ''})")


def run_models(con: duckdb.DuckDBPyConnection, project: CompiledProject, models: list[str]) -> Iterator[NodeResult]:
    """Rebuild ``models`` (in order) in ``con``; raise :class:`CompiledProjectError` on a broken node."""
    for unique_id in project.build_order(models):
        node = project.nodes[unique_id]
        started = time.monotonic()
        if node["config"].get("materialized") == "view":
            yield NodeResult(unique_id, "model", "unchanged_view", time.monotonic() - started,
                             message="a view: its definition is unchanged and it reads the new rows")
            continue
        sql = node.get("compiled_code")
        if sql is None:
            raise CompiledProjectError(f"{unique_id} has no compiled SQL: run `pledgewatch refresh --full`")
        relation = project.relation(unique_id)
        columns = list(node.get("columns", {}))
        select = f"select {', '.join(_quote(c) for c in columns)} from ({sql}) as model_" if columns else sql
        try:
            con.execute(f"create or replace table {relation} as {select}")
        except duckdb.Error as exc:
            raise CompiledProjectError(f"{unique_id} could not be rebuilt from its compiled SQL: "
                                       f"{str(exc).splitlines()[0]}") from exc
        _persist_docs(con, relation, node)
        rows = con.execute(f"select count(*) from {relation}").fetchone()[0]
        yield NodeResult(unique_id, "model", "built", time.monotonic() - started, rows=rows)


def run_tests(con: duckdb.DuckDBPyConnection, project: CompiledProject, tests: list[str]) -> Iterator[NodeResult]:
    """Run ``tests`` in ``con``: the number of failing rows of each, pass/fail/warn by its severity."""
    for unique_id in tests:
        node = project.nodes[unique_id]
        sql = node.get("compiled_code")
        if sql is None:
            raise CompiledProjectError(f"{unique_id} has no compiled SQL: run `pledgewatch refresh --full`")
        started = time.monotonic()
        try:
            failures = con.execute(f"select count(*) from ({sql}) as dbt_internal_test").fetchone()[0]
        except duckdb.Error as exc:
            raise CompiledProjectError(f"{unique_id} could not run from its compiled SQL: "
                                       f"{str(exc).splitlines()[0]}") from exc
        severity = str(node["config"].get("severity") or "error").lower()
        status = "pass" if failures == 0 else ("warn" if severity == "warn" else "fail")
        yield NodeResult(unique_id, "test", status, time.monotonic() - started, failures=int(failures))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _persist_docs(con: duckdb.DuckDBPyConnection, relation: str, node: dict[str, Any]) -> None:
    """The model's and its columns' descriptions as comments, as dbt's persist_docs writes them (one call)."""
    docs = node["config"].get("persist_docs") or {}
    statements = []
    if docs.get("relation") and node.get("description"):
        statements.append(f"comment on table {relation} is {_literal(node['description'])}")
    if docs.get("columns"):
        statements += [f"comment on column {relation}.{_quote(name)} is {_literal(column['description'])}"
                       for name, column in node.get("columns", {}).items() if column.get("description")]
    if statements:
        con.execute(";\n".join(statements))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- the compiled build of a home -------------------------------------------------------------------


def compiled_folder(home: Home) -> Path:
    """Where a home keeps the manifest of its last full ``dbt build`` and what it was compiled from."""
    return home.root / "dbt" / "compiled"


def compiled_project(home: Home) -> CompiledProject | None:
    """The compiled build of ``home`` when it matches the current dbt project and reference data, else None."""
    folder = compiled_folder(home)
    try:
        inputs = json.loads((folder / "inputs.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if inputs != _compile_inputs():
        return None
    project = CompiledProject.load(folder / "manifest.json")
    return project if project is not None and project.is_complete() else None


def save_compiled(home: Home, manifest: Path) -> None:
    """Keep the manifest a full ``dbt build`` just wrote, with what it was compiled from."""
    folder = compiled_folder(home)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / ".manifest.json.partial"
    shutil.copyfile(manifest, partial)
    os.replace(partial, folder / "manifest.json")
    (folder / "inputs.json").write_text(json.dumps(_compile_inputs()), encoding="utf-8")


def forget_compiled(home: Home) -> None:
    """Drop the compiled build (the next run builds with dbt)."""
    (compiled_folder(home) / "inputs.json").unlink(missing_ok=True)


def _compile_inputs() -> dict[str, str]:
    """What compiled SQL depends on: the dbt project, and the reference data (read at compile time, e.g. the issues)."""
    return {"project": project_sha256(), "reference": reference_sha256()}
