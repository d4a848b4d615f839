"""Faults a user meets, reproduced: each ends in a clear sentence and an exit code, no traceback, and no data
lost, counted twice or read from outside the home.

Lock file deleted mid-run, lost or malformed ingestion order, the same bytes under two names, a killed
CLI with dbt running, odd entries under raw/ (link, directory, FIFO, unreadable, vanished), a full
disk (a small tmpfs), a truncated or bit-flipped warehouse. (Truncated downloads and runaway queries
are tested with ``pull`` and ``query``.)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingestion.home import Home
from ingestion.raw_files import file_sha256
from tests.conftest import copy_home, query_home, raw_snapshot, run_cli, table_checksums
from tests.orchestration.test_faults import assert_consistent, write_pledges

CLI = str(Path(sys.executable).parent / "pledgewatch")
STABLE = ("raw", "ref", "marts")


def cli(home: Home, *args: str, timeout: float = 900, **env: str) -> subprocess.CompletedProcess:
    """The CLI as a user runs it (default log level); output captured."""
    environ = {k: v for k, v in os.environ.items() if k != "PLEDGEWATCH_LOG_LEVEL"}
    return subprocess.run([CLI, "--home", str(home.root), *args], capture_output=True, text=True,
                          timeout=timeout, env={**environ, **env})


def start(home: Home, *args: str) -> subprocess.Popen:
    environ = {k: v for k, v in os.environ.items() if k != "PLEDGEWATCH_LOG_LEVEL"}
    return subprocess.Popen([CLI, "--home", str(home.root), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, env=environ)


def no_traceback(result: subprocess.CompletedProcess | tuple[str, str]) -> str:
    """stdout and stderr together, asserted free of Python tracebacks."""
    out, err = (result.stdout, result.stderr) if isinstance(result, subprocess.CompletedProcess) else result
    text = out + err
    assert "Traceback" not in text, text[-4000:]
    return text


def pledges_extract(tmp_path: Path, name: str, tag: str, rows: int) -> Path:
    """A synthetic pledges extract in a folder named after its dataset (so the CLI knows what it is)."""
    folder = tmp_path / "pledges"
    folder.mkdir(exist_ok=True)
    return write_pledges(folder / name, tag, rows=rows)


def hungary_tonnes(home: Home) -> list[tuple]:
    return query_home(home, "SELECT sum(volume_tonnes) FROM raw.oil_imports WHERE importer = 'HUN'")


# -- the write lock ------------------------------------------------------------------------------------------


def test_deleting_the_lock_file_mid_run_does_not_let_a_second_writer_in(home: Home, tmp_path: Path):
    first = start(home, "ingest", str(pledges_extract(tmp_path, "synthetic_lock_a.csv", "LA", 50)))
    deadline = time.monotonic() + 300
    while not (home.lock.exists() and home.lock.read_text().strip()):
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the first writer never took the lock"
        time.sleep(0.05)
    home.lock.unlink()  # what people do after a crash
    second = start(home, "ingest", str(pledges_extract(tmp_path, "synthetic_lock_b.csv", "LB", 70)))
    out_a = first.communicate(timeout=900)
    out_b = second.communicate(timeout=900)
    assert first.returncode == 0, out_a
    assert second.returncode == 0, out_b
    no_traceback(out_a)
    assert "waiting for the warehouse" in no_traceback(out_b), "the second writer did not wait"
    rows = assert_consistent(home)
    assert rows["raw/pledges/synthetic_lock_a.csv"] == 50
    assert rows["raw/pledges/synthetic_lock_b.csv"] == 70
    assert query_home(home, "SELECT count(*) FROM marts.country_issue_figures")[0][0] > 0


def test_a_killed_cli_takes_its_dbt_with_it_and_the_next_writer_lands(home: Home):
    marker = f"PLEDGEWATCH_DB_PATH={home.build}".encode()

    def dbt_pids() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    parent = start(home, "refresh", "--full")
    deadline = time.monotonic() + 600
    while not dbt_pids():
        assert parent.poll() is None, parent.communicate()
        assert time.monotonic() < deadline, "dbt never started"
        time.sleep(0.05)
    os.kill(parent.pid, signal.SIGKILL)  # the CLI alone: its children get no signal from us
    parent.communicate()
    deadline = time.monotonic() + 20
    while dbt_pids() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not dbt_pids(), "dbt went on running after the CLI that started it was killed"
    before = table_checksums(home, STABLE, exclude=("loaded_at",))
    result = cli(home, "refresh", "--full")
    assert result.returncode == 0, result.stdout + result.stderr
    no_traceback(result)
    assert_consistent(home)
    assert table_checksums(home, STABLE, exclude=("loaded_at",)) == before


# -- the ingestion order ---------------------------------------------------------------------------------------


def test_a_lost_ingest_order_is_restored_from_the_warehouse_loudly(home: Home, tmp_path: Path):
    first = pledges_extract(tmp_path, "zz_synthetic_first.csv", "ORD", 3)
    assert run_cli("--home", str(home.root), "ingest", str(first)) == 0
    later = first.parent / "aa_synthetic_later.csv"  # sorts first by name, was ingested second
    later.write_text(first.read_text().replace(",1000,", ",9000,"))
    assert run_cli("--home", str(home.root), "ingest", str(later)) == 0
    order_file = home.raw / "ingest_order.csv"
    kept = order_file.read_text()
    current = "SELECT amount FROM marts.fct_pledge_reports WHERE pledge_id = 'ORD-0' AND is_latest_report"
    assert query_home(home, current) == [(9000,)]

    order_file.unlink()
    result = cli(home, "refresh")
    text = no_traceback(result)
    assert result.returncode == 0, text
    assert "WARNING   ingest_order.csv did not list" in text and "file registry" in text
    assert order_file.read_text() == kept
    shutil.rmtree(home.root / "build", ignore_errors=True)
    home.warehouse.unlink()  # a rebuild from raw/ alone now follows the restored order
    assert cli(home, "refresh").returncode == 0
    assert query_home(home, current) == [(9000,)]


@pytest.mark.parametrize("content", ["seq;file\n1;x\n", "seq,source_file,source_sha256\nfirst,raw/x.csv,abc\n",
                                     "seq,source_file,source_sha256\n\xff\xfe\n"])
def test_a_malformed_ingest_order_is_a_clear_error(home: Home, tmp_path: Path, content: str):
    order_file = home.raw / "ingest_order.csv"
    order_file.write_bytes(content.encode("latin-1"))
    before = table_checksums(home, STABLE)
    extract = pledges_extract(tmp_path, "synthetic_after_bad_order.csv", "BO", 2)
    for args in (("refresh",), ("ingest", str(extract))):
        result = cli(home, *args)
        text = no_traceback(result)
        assert result.returncode == 1, text
        assert f"pledgewatch: {order_file}" in text
        assert "restore" in text and "or delete it" in text
    assert table_checksums(home, STABLE) == before


# -- the same bytes twice -----------------------------------------------------------------------------------------


def test_the_same_bytes_under_another_name_are_not_counted_twice(home: Home, tmp_path: Path):
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "synthetic_oil_imports_routes.csv"
    assert run_cli("--home", str(home.root), "ingest", str(fixture), "--dataset", "oil_imports") == 0
    before = hungary_tonnes(home)
    marts = "SELECT importer, sum(volume_tonnes) FROM marts.fct_oil_imports GROUP BY 1 ORDER BY 1"
    marts_before = query_home(home, marts)

    shutil.copyfile(fixture, home.raw / "oil_imports" / "synthetic_copy.csv")
    result = cli(home, "refresh")
    text = no_traceback(result)
    assert result.returncode == 1, text
    assert ("REJECTED  raw/oil_imports/synthetic_copy.csv" in text
            and f"the same bytes as raw/oil_imports/{fixture.name}" in text)
    assert hungary_tonnes(home) == before
    assert query_home(home, marts) == marts_before

    renamed = shutil.copyfile(fixture, tmp_path / "synthetic_renamed.csv")
    result = cli(home, "ingest", str(renamed), "--dataset", "oil_imports")
    text = no_traceback(result)
    assert result.returncode == 1, text
    assert "the same bytes as" in text
    assert hungary_tonnes(home) == before


# -- odd entries under raw/ -------------------------------------------------------------------------------------


def test_odd_entries_under_raw_are_rejected_alone_and_nothing_outside_the_home_is_read(home: Home, tmp_path: Path):
    folder = home.raw / "pledges"
    secret = tmp_path / "outside.csv"
    secret.write_text("pledge_id,announced_on,donor,category,amount,currency,source_name\n"
                      "SECRET-1,2025-01-01,Germany,military,1,EUR,outside the home\n")
    (folder / "x.csv").symlink_to(secret)
    (folder / "y.csv").mkdir()
    os.mkfifo(folder / "z.csv")
    good = pledges_extract(tmp_path, "synthetic_good_beside_odd.csv", "GOOD", 4)
    shutil.copyfile(good, folder / good.name)
    result = cli(home, "refresh", timeout=600)  # a FIFO read would block forever
    text = no_traceback(result)
    assert result.returncode == 1, text
    assert "REJECTED  raw/pledges/x.csv" in text and "a link to a file outside the home" in text
    assert "REJECTED  raw/pledges/y.csv" in text and "a directory, not a file" in text
    assert "REJECTED  raw/pledges/z.csv" in text and "a FIFO (named pipe)" in text
    assert f"loaded    raw/pledges/{good.name}: 4 rows" in text
    assert query_home(home, "SELECT count(*) FROM raw.pledges WHERE pledge_id LIKE 'SECRET%'") == [(0,)]
    assert query_home(home, "SELECT count(*) FROM raw.pledges WHERE pledge_id LIKE 'GOOD-%'") == [(4,)]


@pytest.mark.parametrize("fault", ["unreadable", "vanished"])
def test_a_file_that_cannot_be_read_is_rejected_alone(home: Home, tmp_path: Path, monkeypatch, capsys, fault: str):
    import ingestion.sync as sync

    folder = home.raw / "pledges"
    bad = shutil.copyfile(pledges_extract(tmp_path, "synthetic_bad.csv", "BAD", 2), folder / "synthetic_bad.csv")
    good = shutil.copyfile(pledges_extract(tmp_path, "synthetic_ok.csv", "OK", 3), folder / "synthetic_ok.csv")
    real_sha = sync.file_sha256

    def faulty_sha(path: Path) -> str:
        if Path(path).name == bad.name:
            if fault == "vanished":
                Path(path).unlink()  # gone between listing and reading
            elif os.geteuid() != 0:
                Path(path).chmod(0)  # unreadable for real
            else:  # root reads any file whatever its mode: fail as the kernel would for anyone else
                raise PermissionError(13, "Permission denied", str(path))
        return real_sha(path)

    monkeypatch.setattr(sync, "file_sha256", faulty_sha)
    code = run_cli("--home", str(home.root), "refresh")
    out, err = capsys.readouterr()
    text = no_traceback((out, err))
    assert code == 1, text
    reason = {"vanished": "it disappeared while it was being read",
              "unreadable": "it cannot be read (Permission denied)"}[fault]
    assert f"REJECTED  raw/pledges/{bad.name}" in text and reason in text
    assert f"loaded    raw/pledges/{good.name}: 3 rows" in text
    assert query_home(home, "SELECT count(*) FROM raw.pledges WHERE pledge_id LIKE 'BAD-%'") == [(0,)]


# -- a full disk ---------------------------------------------------------------------------------------------------


@pytest.fixture
def tmpfs(tmp_path: Path):
    """A 160 MB tmpfs: room for the bundled home, its build copy and a run once the filler is gone
    (skipped where it cannot be mounted: not root, or no mount permission)."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()}): run the tests as root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(mount: Path, leave: int) -> Path:
    """Fill ``mount`` until ``leave`` bytes are free."""
    filler = mount / "filler"
    free = shutil.disk_usage(mount).free
    with filler.open("wb") as fh:
        fh.truncate(0)
        remaining = max(free - leave, 0)
        block = b"\0" * (1 << 20)
        while remaining > 0:
            remaining -= fh.write(block[: min(len(block), remaining)])
    return filler


@pytest.mark.parametrize("leave", ["nothing", "1m", "copy+256k"])  # nothing: not even the copy made while validating
def test_a_full_disk_says_so_publishes_nothing_and_clears_its_files(built_home: Home, tmpfs: Path, tmp_path: Path,
                                                                     leave: str):
    home = copy_home(built_home, tmpfs / "home")
    before = table_checksums(home, STABLE)
    raw_before = raw_snapshot(home)
    size = home.warehouse.stat().st_size
    filler = fill(tmpfs, {"nothing": 0, "1m": 1 << 20}.get(leave, size + (256 << 10)))
    extract = pledges_extract(tmp_path, "synthetic_disk_full.csv", "DF", 40)
    result = cli(home, "ingest", str(extract))
    text = no_traceback(result)
    assert result.returncode == 1, text
    assert (f"no space left on device under {home.root}; nothing was published; "
            "free space and run the command again") in text
    assert table_checksums(home, STABLE) == before
    assert raw_snapshot(home) == raw_before
    leftovers = [p for p in (home.root / "build").rglob("*") if p.is_file()] if (home.root / "build").exists() else []
    assert leftovers == [], leftovers
    filler.unlink()
    again = cli(home, "ingest", str(extract))
    assert again.returncode == 0, again.stdout + again.stderr
    assert query_home(home, "SELECT count(*) FROM raw.pledges WHERE pledge_id LIKE 'DF-%'") == [(40,)]


# -- a damaged warehouse ----------------------------------------------------------------------------------------


def truncate(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 3)


def flip_bits(path: Path) -> None:
    """Invert 64 bytes every 64 KiB past the first quarter: every block in use there is hit."""
    data = bytearray(path.read_bytes())
    for offset in range(len(data) // 4, len(data) - 64, 64 << 10):
        data[offset:offset + 64] = bytes(b ^ 0xFF for b in data[offset:offset + 64])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [truncate, flip_bits], ids=["truncated", "bit-flipped"])
def test_a_damaged_warehouse_is_kept_aside_and_rebuilt_from_raw(home: Home, damage):
    expected = table_checksums(home, STABLE, exclude=("loaded_at",))
    damage(home.warehouse)
    damaged_sha = file_sha256(home.warehouse)

    query = cli(home, "query", "SELECT count(*) FROM marts.country_issue_figures")
    text = no_traceback(query)
    assert query.returncode == 1, text
    assert f"the warehouse {home.warehouse} cannot be read" in text and "`pledgewatch refresh`" in text

    refresh = cli(home, "refresh")
    text = no_traceback(refresh)
    assert refresh.returncode == 0, text
    assert "it is derived data: kept aside as warehouse.duckdb.damaged-" in text
    (aside,) = home.root.glob("warehouse.duckdb.damaged-*")
    assert file_sha256(aside) == damaged_sha
    assert table_checksums(home, STABLE, exclude=("loaded_at",)) == expected


def test_an_ingest_into_a_damaged_warehouse_rebuilds_it_with_the_new_file(home: Home, tmp_path: Path):
    expected_pledges = query_home(home, "SELECT count(*) FROM raw.pledges")[0][0]
    truncate(home.warehouse)
    result = cli(home, "ingest", str(pledges_extract(tmp_path, "synthetic_after_damage.csv", "AD", 5)))
    text = no_traceback(result)
    assert result.returncode == 0, text
    assert "kept aside as warehouse.duckdb.damaged-" in text
    assert query_home(home, "SELECT count(*) FROM raw.pledges")[0][0] == expected_pledges + 5
    assert_consistent(home)
