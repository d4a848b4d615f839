"""`pledgewatch pull --all`: every source with a publisher URL fetched and the new releases ingested in one run;
offline, one line per source, exit 4, nothing changed."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingestion.fetch import release_location, url_variable
from ingestion.home import Home
from ingestion.sources import source_formats
from tests.conftest import REAL_DATA, query_home, raw_snapshot, table_checksums

CLI = str(Path(sys.executable).parent / "pledgewatch")
#: The real file each source with a publisher URL is served as (the publisher's own file name).
SERVED = {
    "kiel-ust": (REAL_DATA / "pledges" / "kiel_ust_data_explorer.csv", "data_explorer.csv"),
    "ofac-sdn": (REAL_DATA / "sanctions" / "ofac_sdn_2022-02-24.csv", "sdn.csv"),
    "us-foreign-assistance": (REAL_DATA / "aid_changes" / "us_foreign_aid_country.csv", "us_foreign_aid_country.csv"),
    "canada-sema": (REAL_DATA / "sanctions" / "canada_sema_2025-05-25.xml", "sema-lmes.xml"),
    "un-consolidated": (REAL_DATA / "sanctions" / "un_consolidated_2025-04-19.xml", "consolidated.xml"),
}


def pullable() -> list[str]:
    """The sources `pull --all` takes: those with a publisher URL."""
    return sorted(name for name, fmt in source_formats().items() if release_location(fmt) is not None)


def test_every_source_with_a_publisher_url_is_served_here():
    assert pullable() == sorted(SERVED)


def pull_all(home: Home, urls: dict[str, str]) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PLEDGEWATCH_SOURCE_URL_")}
    environ.update({url_variable(name): url for name, url in urls.items()})
    return subprocess.run([CLI, "--home", str(home.root), "pull", "--all"], capture_output=True, text=True,
                          timeout=1800, env=environ)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def publishers(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Each source's release on an HTTP server on 127.0.0.1, under its publisher's file name."""
    missing = [str(path) for path, _ in SERVED.values() if not path.is_file()]
    if missing:
        pytest.skip(f"the real publisher files are not here ({missing[0]}); they are not shipped with the project")
    root = tmp_path / "www"
    urls = {}
    for name, (path, served_as) in SERVED.items():
        (root / name).mkdir(parents=True)
        shutil.copyfile(path, root / name / served_as)
        urls[name] = f"/{name}/{served_as}"
    shutil.copyfile(REAL_DATA / "pledges" / "kiel_ust_release_info.csv", root / "kiel-ust" / "release_info.csv")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield {name: f"http://127.0.0.1:{httpd.server_address[1]}{path}" for name, path in urls.items()}
    httpd.shutdown()


def test_pull_all_ingests_every_release_in_one_run_and_a_second_pull_changes_nothing(home: Home, publishers):
    result = pull_all(home, publishers)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.count("succeeded:") == 1, "the releases were not ingested in one run"
    loaded = {source for (source,) in query_home(home, "SELECT DISTINCT source FROM meta.source_releases")}
    assert set(SERVED) <= loaded
    assert query_home(home, "SELECT release FROM meta.source_releases WHERE source = 'kiel-ust'") == [("29",)]

    before = table_checksums(home, exclude=("loaded_at",))
    again = pull_all(home, publishers)
    assert again.returncode == 0, (again.stdout + again.stderr)[-4000:]
    for name in SERVED:
        assert f"unchanged {name}: the release is identical to raw/sources/{name}/" in again.stdout
    assert table_checksums(home, exclude=("loaded_at",)) == before


def test_pull_all_offline_says_why_per_source_exits_4_and_changes_nothing(home: Home):
    before, raw_before = table_checksums(home), raw_snapshot(home)
    result = pull_all(home, {name: f"http://127.0.0.1:9/{name}.csv" for name in SERVED})  # port 9: nobody listens
    text = result.stdout + result.stderr
    assert result.returncode == 4, text
    assert "Traceback" not in text
    for name in SERVED:
        line = next(x for x in result.stderr.splitlines() if x.startswith(f"pledgewatch: {name}: could not fetch"))
        assert line.endswith("nothing was stored. Check the address (or the network) and pull again.")
    assert f"{len(SERVED)} of {len(SERVED)} source(s) could not be fetched" in result.stderr
    assert table_checksums(home) == before
    assert raw_snapshot(home) == raw_before
