"""Every way the CLI can end, walked: the documented exit code, a sentence that says what to do, and never a
Python traceback on the terminal (it goes to a log file under ``runs/``, whose path the message gives)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ingestion.home import Home
from ingestion.warehouse import acquire_write_lock, release_write_lock
from tests.conftest import run_cli, table_checksums

CLI = str(Path(sys.executable).parent / "pledgewatch")


def run(home: Home | None, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "PLEDGEWATCH_LOG_LEVEL"}
    prefix = ["--home", str(home.root)] if home is not None else []
    return subprocess.run([CLI, *prefix, *args], capture_output=True, text=True, timeout=600,
                          env={**environ, **env})


def assert_said(result: subprocess.CompletedProcess, code: int, *phrases: str) -> None:
    text = result.stdout + result.stderr
    assert "Traceback" not in text, text[-4000:]
    assert result.returncode == code, text[-4000:]
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in:\n{text[-4000:]}"


@pytest.fixture
def empty_home(tmp_path: Path) -> Home:
    return Home(tmp_path / "empty")


def bad_extract(tmp_path: Path) -> Path:
    path = tmp_path / "pledges" / "synthetic_bad.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("pledge_id,announced_on,donor,category,amount,currency,source_name\n"
                    "B-1,2025-13-45,Germany,military,100,EUR,synthetic test fixture\n")
    return path


# (name, home kind, argv, exit code, phrases); "built" homes are private copies of the built warehouse.
CASES = [
    ("no command", None, [], 2, ["usage: pledgewatch"]),
    ("unknown command", None, ["frobnicate"], 2, ["invalid choice: 'frobnicate'"]),
    ("bad date option", "empty", ["pull", "kiel-ust", "--as-of", "yesterday"], 2, ["not a date (YYYY-MM-DD)"]),
    ("query, no warehouse", "empty", ["query", "SELECT 1"], 2, ["no warehouse at", "pledgewatch refresh"]),
    ("export, no warehouse", "empty", ["export"], 2, ["no warehouse at"]),
    ("docs, no warehouse", "empty", ["docs"], 2, ["no warehouse at"]),
    ("status, no warehouse", "empty", ["status"], 2, ["no warehouse at"]),
    ("sources, no warehouse", "empty", ["sources"], 0, ["kiel-ust"]),
    ("query, bad SQL", "built", ["query", "SELEC 1"], 2, ["query failed: Parser Error"]),
    ("query, a write", "built", ["query", "CREATE TABLE x (a int)"], 2, ["query refused"]),
    ("query, a file outside", "built", ["query", "SELECT * FROM read_csv('/etc/passwd')"], 2, ["query refused"]),
    ("query, xlsx to the terminal", "built", ["query", "SELECT 1", "--format", "xlsx"], 2, ["give --out PATH"]),
    ("export, unwritable", "built", ["export", "--out", "/proc/pledgewatch.xlsx"], 2, ["/proc/pledgewatch.xlsx"]),
    ("ingest, missing file", "built", ["ingest", "/nonexistent/pledges.csv"], 2, ["/nonexistent/pledges.csv"]),
    ("ingest, unknown source", "built", ["ingest", "--source", "nope", "x.csv"], 2, ["nope"]),
    ("pull, unknown source", "built", ["pull", "nope"], 2, ["nope"]),
    ("pull, unreachable", "built", ["pull", "crea-values", "--from", "http://127.0.0.1:9/x.csv"], 4,
     ["could not", "nothing was stored"]),
    ("validate, bad file", "built", ["validate", "{bad}"], 1, ["synthetic_bad.csv", "announced_on", "2025-13-45"]),
    ("ingest, bad file", "built", ["ingest", "{bad}"], 1, ["synthetic_bad.csv", "rejected"]),
    ("refresh, nothing changed", "built", ["refresh"], 0, ["nothing changed"]),
    ("refresh, busy", "busy", ["refresh", "--full"], 3, ["warehouse busy", "Try again when it has finished"]),
]


@pytest.mark.parametrize("name, kind, argv, code, phrases", CASES, ids=[c[0] for c in CASES])
def test_every_exit_path_says_what_happened_without_a_traceback(name, kind, argv, code, phrases, built_home: Home,
                                                                  empty_home: Home, tmp_path: Path):
    from tests.conftest import copy_home

    home = {None: None, "empty": empty_home}.get(kind) if kind in (None, "empty") else copy_home(
        built_home, tmp_path / "home")
    argv = [a.replace("{bad}", str(bad_extract(tmp_path))) for a in argv]
    before = table_checksums(home) if home is not None and home.warehouse.exists() else None
    if kind == "busy":
        acquire_write_lock(home)
        try:
            result = run(home, *argv, PLEDGEWATCH_LOCK_TIMEOUT="0")
        finally:
            release_write_lock(home)
    else:
        result = run(home, *argv)
    assert_said(result, code, *phrases)
    if before is not None and code != 0:
        assert table_checksums(home) == before, "a failed command changed the warehouse"


def test_an_unforeseen_error_is_one_sentence_and_its_traceback_goes_to_a_log(built_home: Home, tmp_path: Path,
                                                                            monkeypatch, capsys):
    from orchestration import cli
    from tests.conftest import copy_home

    home = copy_home(built_home, tmp_path / "home")

    def broken(home: Home, args) -> int:
        raise RuntimeError("a bug nobody foresaw\nsecond line")

    monkeypatch.setattr(cli, "cmd_status", broken)
    code = run_cli("--home", str(home.root), "status")
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err
    match = re.search(r"pledgewatch status failed: RuntimeError: a bug nobody foresaw\. The published warehouse is "
                      r"as it was; the details are in (\S+) \(include that file if you report it\)\.", err)
    assert match, err
    log = Path(match.group(1))
    assert log.parent == home.runs / "errors"
    assert "Traceback" in log.read_text() and "a bug nobody foresaw" in log.read_text()


def test_an_interrupted_command_says_nothing_was_published(built_home: Home, tmp_path: Path, monkeypatch, capsys):
    from orchestration import cli
    from tests.conftest import copy_home

    home = copy_home(built_home, tmp_path / "home")

    def interrupted(home: Home, args) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_refresh", interrupted)
    assert run_cli("--home", str(home.root), "refresh") == 130
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert f"interrupted; nothing was published ({home.warehouse} is as it was)" in err


def test_a_failed_run_names_its_error_file_and_prints_no_traceback(built_home: Home, tmp_path: Path, monkeypatch,
                                                                   capfd):
    import orchestration.assets.publish as publish
    from tests.conftest import copy_home

    home = copy_home(built_home, tmp_path / "home")
    before = table_checksums(home)

    def failing(con) -> list[str]:
        raise RuntimeError("the publish check could not run")

    monkeypatch.setattr(publish, "build_problems", failing)
    code = run_cli("--home", str(home.root), "refresh", "--full")
    out, err = capfd.readouterr()
    assert code == 1, out + err
    assert "Traceback" not in out + err, (out + err)[-4000:]
    match = re.search(r"run (\w{8}) FAILED: step warehouse failed: RuntimeError: the publish check could not run", out)
    assert match, out
    error_file = re.search(r"the details are in (\S+error\.txt)", out)
    assert error_file, out
    assert "Traceback" in Path(error_file.group(1)).read_text() or "File \"" in Path(error_file.group(1)).read_text()
    assert table_checksums(home) == before
