"""Nothing lost under faults: loads killed at random points, concurrent writers, queries during a refresh."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from ingestion.home import Home
from ingestion.prepare import file_sha256
from tests.conftest import copy_home, run_cli

CLI = str(Path(sys.executable).parent / "pledgewatch")
#: kill trials per run of the suite (PLEDGEWATCH_KILL_TRIALS=20 or more for a longer soak)
TRIALS = int(os.environ.get("PLEDGEWATCH_KILL_TRIALS", "10"))
ROWS_PER_FILE = 300


def write_pledges(path: Path, tag: str, rows: int = ROWS_PER_FILE) -> Path:
    """A valid pledges extract of ``rows`` distinct synthetic pledges."""
    lines = ["pledge_id,announced_on,donor,category,amount,currency,source_name"]
    lines += [f"{tag}-{i},2025-09-04,Germany,military,{i + 1}000,EUR,synthetic test fixture" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start(home: Home, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [CLI, "--home", str(home.root), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "PLEDGEWATCH_LOG_LEVEL": "WARNING", **env},
    )


def assert_consistent(home: Home) -> dict[str, int]:
    """The published warehouse opens and agrees with itself; returns rows per pledges file."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        registry = dict(con.execute(
            "SELECT source_file, row_count FROM meta.file_registry WHERE dataset = 'pledges'").fetchall())
        rows = dict(con.execute("SELECT source_file, count(*) FROM raw.pledges GROUP BY 1").fetchall())
        loaded = {f for (f,) in con.execute(
            "SELECT DISTINCT source_file FROM meta.load_log WHERE dataset = 'pledges' AND outcome = 'loaded'"
        ).fetchall()}
        marts = con.execute("SELECT count(*) FROM marts.fct_pledge_reports").fetchone()[0]
    finally:
        con.close()
    assert rows == {f: n for f, n in registry.items() if n}, "rows disagree with the file registry"
    assert set(registry) <= loaded, "a registered file has no 'loaded' entry in the load log"
    assert marts == sum(rows.values()), "marts were published without the loads they were built from"
    return rows


def assert_no_partial_files(home: Home, sources: dict[str, Path]) -> None:
    for path in home.raw.rglob("*"):
        assert not path.name.endswith(".partial"), f"partial file left in raw/: {path}"
        if path.name in sources:
            assert file_sha256(path) == file_sha256(sources[path.name]), f"{path} differs from its source"


def assert_raw_and_warehouse_agree(home: Home) -> None:
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        registry = dict(con.execute("SELECT source_file, source_sha256 FROM meta.file_registry").fetchall())
    finally:
        con.close()
    on_disk = {
        home.relative(p): file_sha256(p)
        for p in home.raw.glob("*/*") if p.is_file() and not p.name.startswith(".")
    }
    assert registry == on_disk


def test_loads_killed_at_random_points_leave_a_consistent_warehouse(built_home: Home, tmp_path: Path):
    home = copy_home(built_home, tmp_path / "home")
    chance = random.Random(20250904)
    sources: dict[str, Path] = {}
    killed = 0
    for trial in range(1, TRIALS + 1):
        source = write_pledges(tmp_path / f"trial_{trial:02d}.csv", f"k{trial}")
        sources[source.name] = source
        proc = start(home, "ingest", str(source), "--dataset", "pledges")
        try:
            proc.wait(timeout=chance.uniform(0.5, 18.0))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            killed += 1
        rows = assert_consistent(home)
        assert rows.get(f"raw/pledges/{source.name}", 0) in (0, ROWS_PER_FILE)
        assert_no_partial_files(home, sources)
        if trial % 5 == 0:
            assert run_cli("--home", str(home.root), "refresh") == 0
            assert_consistent(home)
            assert_raw_and_warehouse_agree(home)
    (tmp_path / "kill_trials.txt").write_text(f"{TRIALS} trials, {killed} killed mid-run, each consistent after\n")
    assert killed > 0, "no trial was killed before it finished: the kills tested nothing (raise the timeouts' range)"


def test_two_writers_at_once_one_waits_and_both_land(built_home: Home, tmp_path: Path):
    home = copy_home(built_home, tmp_path / "home")
    first = start(home, "ingest", str(write_pledges(tmp_path / "first.csv", "a")), "--dataset", "pledges")
    time.sleep(1.0)
    second = start(home, "ingest", str(write_pledges(tmp_path / "second.csv", "b")), "--dataset", "pledges")
    _out_first, err_first = first.communicate(timeout=600)
    _out_second, err_second = second.communicate(timeout=600)
    assert first.returncode == 0, err_first
    assert second.returncode == 0, err_second
    assert "waiting for the warehouse: it is being written by pid" in err_first + err_second
    rows = assert_consistent(home)
    assert rows["raw/pledges/first.csv"] == rows["raw/pledges/second.csv"] == ROWS_PER_FILE


def test_a_writer_that_cannot_wait_gives_up_with_warehouse_busy(built_home: Home, tmp_path: Path):
    from ingestion.warehouse import acquire_write_lock, release_write_lock

    home = copy_home(built_home, tmp_path / "home")
    before = assert_consistent(home)
    acquire_write_lock(home, command="a test holding the lock")
    try:
        late = start(home, "ingest", str(write_pledges(tmp_path / "late.csv", "c")), "--dataset", "pledges",
                     PLEDGEWATCH_LOCK_TIMEOUT="1")
        _out, err = late.communicate(timeout=600)
    finally:
        release_write_lock(home)
    assert late.returncode == 3
    assert f"warehouse busy: {home.root} is being written by pid {os.getpid()} (a test holding the lock" in err
    assert "Try again when it has finished" in err
    assert assert_consistent(home) == before
    assert not (home.raw / "pledges" / "late.csv").exists()


def test_queries_during_a_refresh_see_the_old_or_the_new_state(built_home: Home, tmp_path: Path):
    home = copy_home(built_home, tmp_path / "home")
    write_pledges(home.raw / "pledges" / "added.csv", "q")
    old = 5
    new = old + ROWS_PER_FILE
    refresh = start(home, "refresh")
    seen: list[int] = []
    errors: list[str] = []

    def keep_querying() -> None:
        from ingestion.warehouse import connect_readonly

        while refresh.poll() is None:
            try:
                con = connect_readonly(home)
                try:
                    seen.append(con.execute("SELECT count(*) FROM marts.fct_pledge_reports").fetchone()[0])
                finally:
                    con.close()
            except Exception as exc:  # any error is a failure of the guarantee
                errors.append(repr(exc))
            time.sleep(0.05)

    reader = threading.Thread(target=keep_querying)
    reader.start()
    deadline = time.monotonic() + 60
    while not (home.lock.exists() and home.lock.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    query = subprocess.run([CLI, "--home", str(home.root), "query", "SELECT count(*) FROM marts.fct_pledge_reports",
                            "--format", "csv"], capture_output=True, text=True, timeout=300)
    refresh.communicate(timeout=600)
    reader.join()
    assert refresh.returncode == 0
    assert errors == []
    assert len(seen) > 10
    assert set(seen) <= {old, new}
    assert query.returncode == 0, query.stderr
    assert query.stdout.splitlines()[-1] in (str(old), str(new))
    con = duckdb.connect(str(home.warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM marts.fct_pledge_reports").fetchone()[0] == new
    con.close()
