"""`pledgewatch pull` when the download is cut short or damaged, and when a release shrinks (issue 11).

A local HTTP server on 127.0.0.1 publishes a crea-shipments release with faults: a body shorter
than its ``Content-Length``, a chunked body that stops, a checksum header that does not match.
Each pull exits 4 with one sentence and leaves raw/, its manifests and the warehouse as they
were. A release with far fewer rows than the current one warns, and with --strict is refused.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from ingestion.home import Home
from tests.conftest import REAL_DATA, copy_home, query_home, raw_snapshot, run_cli, table_checksums

REAL_SHIPMENTS = REAL_DATA / "oil_imports" / "crea_shipments_to_nl.csv"
HEADER = "date,commodity_origin_country,Crude oil,Oil products and chemicals,unit\n"


def shipments(months: int) -> bytes:
    """A crea-shipments release: Russian crude and refined arrivals on the 1st and 15th of ``months`` months."""
    lines = [HEADER]
    for m in range(months):
        first = date(2024, 1 + m % 12, 1).replace(year=2024 + m // 12)
        for day in (first, first + timedelta(days=14)):
            lines.append(f"{day},Russia,{1000 + m},{200 + m},tonne\n")
    return "".join(lines).encode()


FULL = shipments(12)  # 24 mapped rows: crude and refined in each of 12 months
SHRUNK = shipments(3)  # 6 mapped rows


class Publisher(http.server.BaseHTTPRequestHandler):
    """Serves ``/<fault>/<name>``: the body of ``name`` (from ``bodies``), with the fault asked for."""

    protocol_version = "HTTP/1.1"
    bodies: ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        fault, _, name = self.path.lstrip("/").partition("/")
        body = self.bodies.get(name)
        if body is None:
            self.send_error(404)
            return
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Connection", "close")
        if fault == "chunked-cut":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            part = body[: len(body) // 2]
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")  # no final chunk: cut
            return
        self.send_header("Content-Length", str(len(body)))
        wrong = hashlib.sha256(b"not the body").digest()
        if fault == "digest":
            self.send_header("Digest", "sha-256=" + base64.b64encode(wrong).decode())
        elif fault == "repr-digest":
            self.send_header("Repr-Digest", "sha-256=:" + base64.b64encode(wrong).decode() + ":")
        elif fault == "content-md5":
            self.send_header("Content-MD5", base64.b64encode(hashlib.md5(b"not the body").digest()).decode())
        elif fault == "good-digest":
            self.send_header("Digest", "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode())
        self.end_headers()
        if fault == "short":
            self.wfile.write(body[: SHORT_BYTES.get(name, len(body) // 2)])
            return  # the connection closes: fewer bytes than promised
        self.wfile.write(body)


#: how many bytes the ``short`` fault sends of a body (default half)
SHORT_BYTES: dict[str, int] = {}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The faulty publisher on 127.0.0.1."""
    Publisher.bodies = {"shipments_nl.csv": FULL, "shipments_nl_shrunk.csv": SHRUNK}
    if REAL_SHIPMENTS.is_file():
        Publisher.bodies["crea_shipments_to_nl.csv"] = REAL_SHIPMENTS.read_bytes()
        SHORT_BYTES["crea_shipments_to_nl.csv"] = 11_373
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Publisher)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def pulled_home(built_home: Home, server: str, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The bundled warehouse with a whole crea-shipments release for NL pulled from the publisher."""
    home = copy_home(built_home, tmp_path_factory.mktemp("pulled") / "home")
    assert run_cli("--home", str(home.root), "pull", "crea-shipments", "--from",
                   f"{server}/ok/shipments_nl.csv", "--importer", "NL") == 0
    return home


def unchanged(home: Home) -> tuple[dict[str, str], dict[str, str]]:
    """Everything a pull could change: every file under raw/ (manifests included) and every table."""
    return raw_snapshot(home), table_checksums(home, ("raw", "ref", "marts", "meta", "history"))


def test_the_whole_release_is_loaded(pulled_home: Home):
    assert query_home(pulled_home, "SELECT row_count FROM meta.file_registry "
                                   "WHERE source_file LIKE 'raw/sources/crea-shipments/%'") == [(24,)]


@pytest.mark.parametrize(("fault", "reason"), [
    ("short", f"the server promised {len(FULL):,} bytes and sent {len(FULL) // 2:,}: the download was cut short"),
    ("chunked-cut", f"the server closed the connection after {len(FULL) // 2:,} bytes, before the end of the file: "
                    "the download was cut short"),
    ("digest", f"the SHA-256 checksum of the {len(FULL):,} bytes received does not match the one the server gave "
               "(Digest): the download is damaged"),
    ("repr-digest", f"the SHA-256 checksum of the {len(FULL):,} bytes received does not match the one the server "
                    "gave (Repr-Digest): the download is damaged"),
    ("content-md5", f"the MD5 checksum of the {len(FULL):,} bytes received does not match the one the server gave "
                    "(Content-MD5): the download is damaged"),
])
def test_a_cut_or_damaged_download_exits_4_and_changes_nothing(pulled_home: Home, server: str, fault: str,
                                                               reason: str, capsys):
    url = f"{server}/{fault}/shipments_nl.csv"
    raw_before, tables_before = unchanged(pulled_home)
    capsys.readouterr()
    code = run_cli("--home", str(pulled_home.root), "pull", "crea-shipments", "--from", url, "--importer", "NL")
    out, err = capsys.readouterr()
    assert code == 4
    assert err.splitlines()[-1] == f"pledgewatch: could not fetch {url}: {reason}; nothing was stored. Pull again."
    assert "Traceback" not in err and out == ""
    assert unchanged(pulled_home) == (raw_before, tables_before)
    assert not list(pulled_home.root.glob(".pull-*")), "the download folder was left behind"


def test_a_download_whose_checksum_matches_is_accepted(pulled_home: Home, server: str, tmp_path: Path, capsys):
    home = copy_home(pulled_home, tmp_path / "home")
    url = f"{server}/good-digest/shipments_nl.csv"
    assert run_cli("--home", str(home.root), "pull", "crea-shipments", "--from", url, "--importer", "NL") == 0
    assert "unchanged crea-shipments" in capsys.readouterr().out  # the same bytes as the release already stored


@pytest.mark.skipif(not REAL_SHIPMENTS.is_file(), reason=f"the real CREA NL file is not in {REAL_SHIPMENTS.parent}")
def test_the_cut_crea_nl_download_of_the_issue_is_refused(built_home: Home, server: str, tmp_path: Path, capsys):
    home = copy_home(built_home, tmp_path / "home")
    url = f"{server}/short/crea_shipments_to_nl.csv"
    raw_before, tables_before = unchanged(home)
    capsys.readouterr()
    assert run_cli("--home", str(home.root), "pull", "crea-shipments", "--from", url, "--importer", "NL") == 4
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"pledgewatch: could not fetch {url}: the server promised 18,955 bytes and sent 11,373: "
        "the download was cut short; nothing was stored. Pull again.")
    assert unchanged(home) == (raw_before, tables_before)


def test_a_release_with_far_fewer_rows_warns_and_replaces_the_current_one(pulled_home: Home, server: str,
                                                                          tmp_path: Path, capsys):
    home = copy_home(pulled_home, tmp_path / "home")
    (current,) = query_home(home, "SELECT source_file FROM meta.file_registry "
                                  "WHERE source_file LIKE 'raw/sources/crea-shipments/%'")[0]
    url = f"{server}/ok/shipments_nl_shrunk.csv"
    capsys.readouterr()
    assert run_cli("--home", str(home.root), "pull", "crea-shipments", "--from", url, "--importer", "NL") == 0
    err = capsys.readouterr().err
    assert (f"warning: the crea-shipments (NLD) release from {url} has 6 rows, fewer than half the 24 rows of the "
            f"current release {current}; it replaces the current release all the same. If it is incomplete, pull "
            "again when it is whole (--strict refuses such a release).") in err.splitlines()
    assert query_home(home, "SELECT count(*) FROM marts.fct_oil_imports WHERE importer = 'NLD' "
                            "AND source = 'crea-shipments'") == [(6,)]


def test_strict_refuses_a_release_with_far_fewer_rows_and_changes_nothing(pulled_home: Home, server: str,
                                                                          tmp_path: Path, capsys):
    home = copy_home(pulled_home, tmp_path / "home")
    (current,) = query_home(home, "SELECT source_file FROM meta.file_registry "
                                  "WHERE source_file LIKE 'raw/sources/crea-shipments/%'")[0]
    url = f"{server}/ok/shipments_nl_shrunk.csv"
    raw_before = raw_snapshot(home)
    tables_before = table_checksums(home, ("raw", "ref", "marts"))
    capsys.readouterr()
    assert run_cli("--home", str(home.root), "pull", "crea-shipments", "--from", url, "--importer", "NL",
                   "--strict") == 1
    out = capsys.readouterr().out
    assert (f"the crea-shipments (NLD) release from {url} has 6 rows, fewer than half the 24 rows of the current "
            f"release {current}; refused (--strict): nothing was loaded. Check the publisher's release and pull "
            "again when it is whole (without --strict to accept it as it is).") in out
    assert "REJECTED" in out
    assert raw_snapshot(home) == raw_before
    assert table_checksums(home, ("raw", "ref", "marts")) == tables_before
    assert query_home(home, "SELECT outcome, problems LIKE '%release_size%' FROM meta.load_log "
                            "ORDER BY finished_at DESC LIMIT 1") == [("rejected", True)]


def test_a_release_of_the_same_size_or_larger_does_not_warn(pulled_home: Home, server: str, tmp_path: Path, capsys):
    from ingestion.prepare_source import prepare_source
    from ingestion.release_size import shrunken_release
    from ingestion.sources.base import SourceOptions

    release = tmp_path / "shipments_nl.csv"
    for months, expected in ((12, None), (7, None), (5, 10)):
        release.write_bytes(shipments(months))
        prepared = prepare_source(release, "crea-shipments", SourceOptions(importer="NL"))
        shrunk = shrunken_release(pulled_home, prepared)
        assert (shrunk.rows if shrunk else None) == expected, months
    # the current release has no as-of: a dated release outranks it, so it is compared
    dated = prepare_source(release, "crea-shipments", SourceOptions(importer="NL", as_of=date(2020, 1, 1)))
    assert shrunken_release(pulled_home, dated) is not None
    other = prepare_source(release, "crea-shipments", SourceOptions(importer="DE"))
    assert shrunken_release(pulled_home, other) is None  # another importer's releases are another series


def test_only_a_release_that_becomes_current_is_compared():
    from ingestion.release_size import CurrentRelease, replaces

    dated = CurrentRelease("raw/sources/crea-shipments/2024-06-01_x.csv", 24, date(2024, 6, 1))
    assert not replaces(date(2024, 1, 1), dated)  # an older release stays history
    assert not replaces(None, dated)  # a release without --as-of ranks below a dated one
    assert replaces(date(2024, 6, 1), dated) and replaces(date(2025, 1, 1), dated)
    undated = CurrentRelease("raw/sources/crea-shipments/1a2b3c4d5e6f_x.csv", 24, None)
    assert replaces(None, undated) and replaces(date(2020, 1, 1), undated)


def test_the_dagster_pull_asset_refuses_a_cut_download(built_home: Home, server: str, tmp_path: Path, monkeypatch):
    from dagster import AssetKey, DagsterInstance

    from orchestration.definitions import build_definitions
    from orchestration.runner import prepare_environment

    home = copy_home(built_home, tmp_path / "home")
    url = f"{server}/short/data_explorer.csv"
    body = Publisher.bodies["data_explorer.csv"] = b"country,iso,year,month,total,financial\n" * 50
    monkeypatch.setenv("PLEDGEWATCH_SOURCE_URL_KIEL_UST", url)
    monkeypatch.setenv("PLEDGEWATCH_HOME", str(home.root))
    monkeypatch.setenv("DAGSTER_HOME", str(home.dagster_home))
    prepare_environment(home)
    raw_before = raw_snapshot(home)
    job = build_definitions(home).resolve_job_def("pull_sources")
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, asset_selection=[AssetKey(["sources", "kiel_ust"])],
                                        raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert failure.step_failure_data.error.message.strip().endswith(
        f"could not fetch {url}: the server promised {len(body):,} bytes and sent {len(body) // 2:,}: "
        "the download was cut short; "
        "nothing was stored (raw/ and the warehouse are unchanged). Pull again.")
    assert raw_snapshot(home) == raw_before


def kiel_release(donors: list[str]) -> bytes:
    """A Kiel data explorer release: one month of military aid per donor."""
    lines = ['"country","iso","year","month","total","financial","humanitarian","military","commitments",'
             '"to_be_allocated","gdp","pct_gdp"']
    lines += [f'"{iso}","{iso}",2024,3,0.5,0,0,0.5,0.5,0,1000,0.05' for iso in donors]
    return ("\n".join(lines) + "\n").encode()


def test_the_dagster_pull_asset_warns_of_a_release_with_far_fewer_rows(built_home: Home, tmp_path: Path,
                                                                       monkeypatch, capsys):
    from dagster import AssetKey, DagsterInstance

    from orchestration.definitions import build_definitions
    from orchestration.runner import prepare_environment

    home = copy_home(built_home, tmp_path / "home")
    whole, shrunk = tmp_path / "whole" / "data_explorer.csv", tmp_path / "shrunk" / "data_explorer.csv"
    for path, donors in ((whole, ["DEU", "FRA", "POL", "NLD", "DNK", "SWE"]), (shrunk, ["DEU", "FRA"])):
        path.parent.mkdir()
        path.write_bytes(kiel_release(donors))
    assert run_cli("--home", str(home.root), "pull", "kiel-ust", "--from", str(whole)) == 0
    (current,) = query_home(home, "SELECT source_file FROM meta.file_registry "
                                  "WHERE source_file LIKE 'raw/sources/kiel-ust/%'")[0]
    monkeypatch.setenv("PLEDGEWATCH_SOURCE_URL_KIEL_UST", str(shrunk))
    monkeypatch.setenv("PLEDGEWATCH_HOME", str(home.root))
    monkeypatch.setenv("DAGSTER_HOME", str(home.dagster_home))
    prepare_environment(home)
    job = build_definitions(home).resolve_job_def("pull_sources")
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, asset_selection=[AssetKey(["sources", "kiel_ust"])])
    (event,) = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["outcome"].value == "stored"
    assert metadata["warning"].value == f"far fewer rows than the current release {current} (6)"
    # and the run's log says it (Dagster's console log writes to stderr)
    assert (f"the kiel-ust release from {shrunk} has 2 rows, fewer than half the 6 rows of the current release "
            f"{current}; it replaces the current release all the same.") in capsys.readouterr().err
