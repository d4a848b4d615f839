"""What a published warehouse was built from, and what a refresh therefore has to do.

Every publish records, in the warehouse itself (``meta.build_state``), the inputs it was built
from: the dbt project, the reference data and the loading code (each as a SHA-256 over its
files) and the state of every file under ``raw/`` (size, modification time, SHA-256). A refresh
compares the inputs of now with those:

- nothing changed: no run at all ("nothing changed");
- only files under ``raw/`` changed: the datasets of those files are loaded again and the models
  downstream of them rebuilt from the compiled SQL of the last full build (:mod:`orchestration.dbt_compiled`);
- the dbt project or the reference data changed, or there is no compiled build yet: a full run
  (every load, ``dbt build``);
- the loading code changed: the warehouse is built again from ``raw/`` (the tables come back the
  same, their shape and mapping as the new code has them).

A file's SHA-256 is computed again only where its size or modification time changed, so a
refresh of a large, unchanged ``raw/`` costs a listing, not a read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from ingestion.home import Home
from ingestion.raw_files import classify, file_sha256

REPO = Path(__file__).resolve().parent.parent
DBT_PROJECT = REPO / "dbt_project"
REFERENCE = REPO / "ingestion" / "reference"
LOADING_CODE = REPO / "ingestion"
#: Parts of the dbt project that change what it builds.
DBT_INPUTS = ("models", "macros", "tests", "seeds", "dbt_project.yml", "profiles.yml")

STATE_DDL = """CREATE TABLE IF NOT EXISTS meta.build_state (
  key VARCHAR PRIMARY KEY,   -- project | reference | code | raw_files
  value VARCHAR NOT NULL     -- a SHA-256, or JSON of raw/ files: path -> [size, mtime_ns, sha256]
)"""


@dataclass(frozen=True)
class FileState:
    """A file under ``raw/`` as last seen."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class Inputs:
    """Everything a warehouse is built from."""

    project: str
    reference: str
    code: str
    files: dict[str, FileState] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """What a refresh has to do, and why."""

    kind: Literal["nothing", "data", "full", "rebuild"]
    #: datasets whose files changed (for ``data``), in no particular order.
    datasets: frozenset[str] = frozenset()
    reasons: tuple[str, ...] = ()


def tree_sha256(paths: Iterable[Path], root: Path) -> str:
    """One SHA-256 over files (their paths relative to ``root`` and bytes), in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in paths if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def project_sha256() -> str:
    """The dbt project's files that change what it builds."""
    files: list[Path] = []
    for name in DBT_INPUTS:
        path = DBT_PROJECT / name
        files.extend(path.rglob("*") if path.is_dir() else [path])
    return tree_sha256((p for p in files if p.suffix in (".sql", ".yml", ".yaml", ".csv", ".md")), DBT_PROJECT)


def reference_sha256() -> str:
    """The reviewed reference data (countries, aliases, blocs, issues, programmes)."""
    return tree_sha256(REFERENCE.glob("*.csv"), REFERENCE)


def code_sha256() -> str:
    """The loading code: how files are read, mapped, normalised and loaded."""
    return tree_sha256(LOADING_CODE.rglob("*.py"), LOADING_CODE)


def raw_file_states(home: Home, previous: dict[str, FileState] | None = None) -> dict[str, FileState]:
    """Every regular file under ``raw/`` (dot-files and the notes in ``raw/sources/`` aside), its SHA-256 reused
    where size and mtime are unchanged.

    Odd entries (links, FIFOs, directories named like files) are not read; the loads report them.
    """
    states: dict[str, FileState] = {}
    previous = previous or {}
    if not home.raw.is_dir():
        return states
    for path in sorted(home.raw.rglob("*")):
        parts = path.relative_to(home.raw).parts
        if any(part.startswith(".") for part in parts) or (len(parts) == 2 and parts[0] == "sources"):
            continue  # hidden, or beside the source folders (their README and licences): not an input
        if classify(path, home.root) is not None:
            continue
        name = home.relative(path) if not path.is_symlink() else path.relative_to(home.root).as_posix()
        try:
            info = path.stat()
            known = previous.get(name)
            if known and (known.size, known.mtime_ns) == (info.st_size, info.st_mtime_ns):
                states[name] = known
            else:
                states[name] = FileState(info.st_size, info.st_mtime_ns, file_sha256(path))
        except OSError:
            continue  # vanished or unreadable since the listing: the load reports it
    return states


def current_inputs(home: Home, previous: Inputs | None = None) -> Inputs:
    """The inputs of a build now."""
    return Inputs(project_sha256(), reference_sha256(), code_sha256(),
                  raw_file_states(home, previous.files if previous else None))


def stored_inputs(con: duckdb.DuckDBPyConnection) -> Inputs | None:
    """The inputs the warehouse of ``con`` was built from, None if it does not record them."""
    present = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'meta' "
                          "AND table_name = 'build_state'").fetchone()[0]
    if not present:
        return None
    values = dict(con.execute("SELECT key, value FROM meta.build_state").fetchall())
    if not {"project", "reference", "code", "raw_files"} <= set(values):
        return None
    files = {name: FileState(*entry) for name, entry in json.loads(values["raw_files"]).items()}
    return Inputs(values["project"], values["reference"], values["code"], files)


def store_inputs(con: duckdb.DuckDBPyConnection, inputs: Inputs) -> None:
    """Record ``inputs`` in the warehouse of ``con`` (the build being published)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute(STATE_DDL)
    files = {name: [s.size, s.mtime_ns, s.sha256] for name, s in sorted(inputs.files.items())}
    values = {"project": inputs.project, "reference": inputs.reference, "code": inputs.code,
              "raw_files": json.dumps(files, separators=(",", ":"))}
    con.execute("DELETE FROM meta.build_state")
    con.executemany("INSERT INTO meta.build_state VALUES (?, ?)", list(values.items()))


def dataset_of(raw_path: str, formats: dict[str, str]) -> str | None:
    """The dataset a file under ``raw/`` belongs to (``formats``: source name -> dataset); None for order files."""
    parts = raw_path.split("/")
    if len(parts) >= 4 and parts[:2] == ["raw", "sources"]:
        return formats.get(parts[2])
    if len(parts) >= 3 and parts[0] == "raw":
        return parts[1]
    return None


def plan_refresh(now: Inputs, built: Inputs | None, *, compiled: bool, formats: dict[str, str],
                 datasets: Iterable[str]) -> Plan:
    """What a refresh must do to bring a warehouse built from ``built`` up to ``now`` (pure).

    ``compiled``: a compiled manifest of a full build matches the current project (the fast path is
    available); ``formats``: publisher format -> dataset; ``datasets``: every dataset.
    """
    if built is None:
        return Plan("full", reasons=("the warehouse does not record what it was built from (first build)",))
    if now.code != built.code:
        return Plan("rebuild", reasons=("the loading code changed: the warehouse is built again from raw/",))
    reasons = [f"the {what} changed" for what, a, b in (("dbt project", now.project, built.project),
                                                       ("reference data", now.reference, built.reference)) if a != b]
    if reasons or not compiled:
        return Plan("full", reasons=tuple(reasons or ["no compiled build of the dbt project yet"]))
    changed = {name for name in now.files.keys() | built.files.keys()
               if (now.files.get(name) is None) != (built.files.get(name) is None)
               or (name in now.files and now.files[name].sha256 != built.files[name].sha256)}
    if not changed:
        return Plan("nothing")
    touched: set[str] = set()
    for name in changed:
        dataset = dataset_of(name, formats)
        touched.update(datasets if dataset is None else {dataset})  # the ingestion order reorders every dataset
    return Plan("data", frozenset(touched & set(datasets)), tuple(_what(name, now, built) for name in sorted(changed)))


def _what(name: str, now: Inputs, built: Inputs) -> str:
    """``<file> added|removed|changed``."""
    if name not in built.files:
        return f"{name} added"
    return f"{name} removed" if name not in now.files else f"{name} changed"
