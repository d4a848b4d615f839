"""`pledgewatch query` within limits: queries that never end or eat the machine stop with one sentence (issue 11).

Also: ``--format table`` never cuts a value silently (issue 9).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from ingestion.home import Home
from ingestion.query_limits import QueryLimits, format_size, parse_size
from orchestration.cli import format_rows
from tests.conftest import run_cli

CROSS_JOIN = "select count(*) from range(1000000000) a, range(1000000000) b"
#: a recursive CTE that never ends and hardly grows: only the time limit stops it
ENDLESS_CTE = "with recursive t(n) as (select 1 union all select n + 1 from t) select count(*) from t"
#: a recursive CTE whose rows double at each step: the memory limit stops it
CTE_BOMB = "with recursive t(n) as (select 1 union all select n + 1 from t, range(2)) select count(*) from t"
BIG_DISTINCT = "select count(distinct i::varchar) from range(100000000) t(i)"
TIMEOUT = "pledgewatch: query stopped: it ran longer than 1 s (--timeout); narrow it or raise the limit\n"
MEMORY = ("pledgewatch: query stopped: it needed more than 50.0 MiB of memory (--memory-limit); "
          "narrow it or raise the limit\n")


def files_of(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (the home, the working directory): a query writes none."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory (DuckDB would spill into ``./.tmp`` of an in-memory database)."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def assert_a_normal_query_still_works(home: Home, capsys) -> None:
    assert run_cli("--home", str(home.root), "query", "select count(*) as n from marts.dim_country",
                   "--format", "csv") == 0
    out = capsys.readouterr().out
    assert out.startswith("n\n") and int(out.split()[1]) > 0


@pytest.mark.parametrize("sql", [CROSS_JOIN, ENDLESS_CTE])
def test_a_query_that_runs_too_long_stops_at_its_timeout(built_home: Home, cwd: Path, sql: str, capsys):
    before = files_of(built_home.root)
    capsys.readouterr()
    started = time.monotonic()
    code = run_cli("--home", str(built_home.root), "query", sql, "--timeout", "1", "--memory-limit", "2GB")
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert (code, out, err) == (1, "", TIMEOUT)
    assert elapsed < 20
    assert files_of(built_home.root) == before and files_of(cwd) == {}
    assert_a_normal_query_still_works(built_home, capsys)


@pytest.mark.parametrize("sql", [BIG_DISTINCT, CTE_BOMB, CROSS_JOIN])
def test_a_query_that_needs_too_much_memory_stops_at_its_limit(built_home: Home, cwd: Path, sql: str, capsys):
    before = files_of(built_home.root)
    capsys.readouterr()
    code = run_cli("--home", str(built_home.root), "query", sql, "--memory-limit", "50MB", "--timeout", "120")
    out, err = capsys.readouterr()
    assert (code, out, err) == (1, "", MEMORY)
    # nothing spilled to disk: not in the home, not in the working directory
    assert files_of(built_home.root) == before and files_of(cwd) == {}
    assert_a_normal_query_still_works(built_home, capsys)


def test_the_limits_come_from_the_environment(built_home: Home, cwd: Path, monkeypatch, capsys):
    monkeypatch.setenv("PLEDGEWATCH_QUERY_TIMEOUT", "1")
    monkeypatch.setenv("PLEDGEWATCH_QUERY_MEMORY_LIMIT", "2GB")
    capsys.readouterr()
    assert run_cli("--home", str(built_home.root), "query", ENDLESS_CTE) == 1
    assert capsys.readouterr().err == TIMEOUT
    monkeypatch.setenv("PLEDGEWATCH_QUERY_MEMORY_LIMIT", "50MB")
    assert run_cli("--home", str(built_home.root), "query", BIG_DISTINCT) == 1
    assert capsys.readouterr().err == MEMORY


def test_the_limits_cannot_be_changed_from_inside_a_query(built_home: Home, capsys):
    for sql in ("SET memory_limit = '100GB'", "SET threads = 64", "SET temp_directory = '/tmp/spill'",
                "RESET memory_limit"):
        assert run_cli("--home", str(built_home.root), "query", sql, "--memory-limit", "50MB") == 2, sql
        assert "query refused" in capsys.readouterr().err
    assert run_cli("--home", str(built_home.root), "query", "select current_setting('memory_limit') as m, "
                   "current_setting('temp_directory') as t", "--memory-limit", "50MB", "--format", "csv") == 0
    assert capsys.readouterr().out == "m,t\n50.0 MiB,\n"


@pytest.mark.parametrize(("args", "env", "message"), [
    (["--memory-limit", "lots"], {}, "pledgewatch: error: --memory-limit: not a memory size: 'lots' "
                                     "(e.g. 2GB, 500MB or 25%)\n"),
    ([], {"PLEDGEWATCH_QUERY_MEMORY_LIMIT": "0"}, "pledgewatch: error: $PLEDGEWATCH_QUERY_MEMORY_LIMIT: not a memory "
                                                  "size: '0' (e.g. 2GB, 500MB or 25%)\n"),
    ([], {"PLEDGEWATCH_QUERY_TIMEOUT": "soon"}, "pledgewatch: error: $PLEDGEWATCH_QUERY_TIMEOUT: not a number of "
                                                "seconds: 'soon'\n"),
])
def test_a_limit_that_is_not_a_size_or_a_time_is_a_usage_error(built_home: Home, monkeypatch, args, env, message,
                                                                capsys):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    assert run_cli("--home", str(built_home.root), "query", "select 1", *args) == 2
    assert capsys.readouterr().err == message


def test_sizes_are_read_in_binary_units():
    assert parse_size("2GB") == parse_size("2 GiB") == parse_size("2g") == 2 << 30
    assert parse_size("50MB") == 50 << 20 and parse_size("1.5GB") == 3 << 29
    assert 0 < parse_size("25%") <= parse_size("100%")
    assert format_size(2 << 30) == "2.0 GiB" and format_size(50 << 20) == "50.0 MiB"
    for bad in ("", "0", "-1GB", "2 parsecs", "0%", "150%"):
        with pytest.raises(ValueError):
            parse_size(bad)


def test_the_default_limits_are_half_the_memory_and_300_seconds(monkeypatch):
    from ingestion.query_limits import machine_memory

    monkeypatch.delenv("PLEDGEWATCH_QUERY_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("PLEDGEWATCH_QUERY_TIMEOUT", raising=False)
    limits = QueryLimits.resolve()
    assert limits.memory == machine_memory() // 2 and limits.timeout == 300 and 1 <= limits.threads <= 8
    assert limits.config()["temp_directory"] == ""  # never spill to disk


# -- --format table never cuts a value silently --------------------------------------------------------------------


LONG = "Statement by the heads of government of the coalition of the willing, Paris, 4 September 2025"


def test_a_value_longer_than_the_width_is_cut_with_a_mark_and_a_note():
    table = format_rows(["id", "source_name"], [(1, LONG), (2, "short")], "table")
    lines = table.splitlines()
    assert lines[2] == f"1   {LONG[:59]}…"
    assert lines[3] == "2   short" + " " * 55
    assert lines[-1] == ("values cut at 60 characters are marked …; use --format csv or json (or --max-width N) "
                         "to see them whole")


def test_max_width_sets_the_cut_and_0_never_cuts():
    assert format_rows(["v"], [(LONG,)], "table", max_width=10).splitlines()[2] == LONG[:9] + "…"
    whole = format_rows(["v"], [(LONG,)], "table", max_width=0)
    assert whole.splitlines()[2] == LONG and "cut" not in whole


def test_a_table_with_nothing_cut_has_no_note():
    assert format_rows(["a", "b"], [(1, "x"), (None, "y")], "table") == "a  b\n-  -\n1  x\n   y\n(2 rows)\n"


def test_a_cut_header_is_marked_too():
    table = format_rows(["a_very_long_column_name"], [("x",)], "table", max_width=5)
    assert table.splitlines()[:3] == ["a_ve…", "-----", "x    "]
    assert "values cut at 5 characters are marked …" in table


def test_query_max_width_on_the_command_line(built_home: Home, capsys):
    sql = f"select '{LONG}' as source_name"
    assert run_cli("--home", str(built_home.root), "query", sql) == 0
    out = capsys.readouterr().out
    assert f"{LONG[:59]}…" in out and "values cut at 60 characters are marked …" in out
    assert run_cli("--home", str(built_home.root), "query", sql, "--max-width", "0") == 0
    out = capsys.readouterr().out
    assert LONG in out and "…" not in out
    assert run_cli("--home", str(built_home.root), "query", sql, "--max-width", "-3") == 2
    assert "not a width" in capsys.readouterr().err
