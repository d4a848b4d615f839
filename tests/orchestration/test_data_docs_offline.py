"""The Data Docs site a refresh builds works offline: no page loads anything from the network (issue 12).

The pages are parsed here with the standard library's HTML parser, independently of the module
that rewrites them; where Chromium is installed, it opens pages headless, its network log
recording every request a page makes (host resolution is mapped to nothing, so no request could
leave the machine even if one were made).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from ingestion.home import Home

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")


class Loads(HTMLParser):
    """Addresses a page loads as it opens: scripts, stylesheets, icons, images, and url()s of its styles."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self.style = False

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.loads.append(("script", values["src"]))
        elif tag == "link" and values.get("href"):
            self.loads.append((values.get("rel") or "link", values["href"]))
        elif tag == "img" and values.get("src"):
            self.loads.append(("img", values["src"]))
        self.style = tag == "style"

    def handle_endtag(self, tag) -> None:
        self.style = False if tag == "style" else self.style

    def handle_data(self, data) -> None:
        if self.style:
            self.loads += [("style url", m.group(2)) for m in CSS_URL.finditer(data)]


def loads_of(page: Path) -> list[tuple[str, str]]:
    parser = Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.loads


def is_remote(address: str) -> bool:
    return address.lower().startswith(("http://", "https://", "//"))


def local_file(base: Path, address: str) -> Path | None:
    """The file a relative address points at, or None for data: addresses."""
    if address.startswith(("data:", "#")):
        return None
    return (base.parent / unquote(urlparse(address).path)).resolve()


@pytest.fixture(scope="module")
def site(built_home: Home) -> Path:
    index = built_home.docs_index
    assert index.is_file(), "the refresh built no Data Docs site"
    return index.parent


def test_no_page_loads_a_stylesheet_script_or_image_from_the_network(site: Path):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 5  # the index, a suite page and a validation page per dataset
    remote = [f"{p.relative_to(site)}: {kind} {address}" for p in pages for kind, address in loads_of(p)
              if is_remote(address)]
    assert remote == []


def test_every_file_a_page_loads_is_in_the_site(site: Path):
    missing = []
    for page in sorted(site.rglob("*.html")):
        for kind, address in loads_of(page):
            path = local_file(page, address)
            if path is not None and not path.is_file():
                missing.append(f"{page.relative_to(site)}: {kind} {address}")
            if path is not None:
                assert site in path.parents, f"{page}: {address} points outside the site"
    assert missing == []
    kinds = {kind for page in site.rglob("*.html") for kind, _ in loads_of(page)}
    assert {"script", "stylesheet", "img"} <= kinds


def test_every_file_a_stylesheet_of_the_site_loads_is_in_the_site(site: Path):
    sheets = sorted((site / "static").rglob("*.css"))
    assert any("fontawesome" in s.as_posix() for s in sheets)
    problems = []
    for sheet in sheets:
        for match in CSS_URL.finditer(sheet.read_text(encoding="utf-8")):
            address = match.group(2)
            if is_remote(address):
                problems.append(f"{sheet.relative_to(site)}: {address}")
            path = local_file(sheet, address)
            if path is not None and not path.is_file():
                problems.append(f"{sheet.relative_to(site)}: {address} (missing)")
    assert problems == []


# -- a real browser ----------------------------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                    "(apt-get install chromium) to open the pages headless")


def open_in_chromium(page: Path, work: Path, *, dark: bool = False) -> tuple[list[str], str]:
    """Open ``page`` headless: the http(s) addresses the page asked for (from the network log) and its DOM."""
    netlog = work / f"net-{page.stem}-{dark}.json"
    argv = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={work / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--log-net-log={netlog}", "--virtual-time-budget=5000",
            "--dump-dom"]
    if dark:
        argv.append("--blink-settings=preferredColorScheme=0")
    result = subprocess.run([*argv, page.as_uri()], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    asked = []
    for event in log["events"]:
        params = event.get("params") or {}
        # the browser's own requests (updates, accounts) have no page as initiator: "not an origin"
        if event["type"] == start and "url" in params and params.get("initiator") != "not an origin" \
                and params["url"].startswith(("http://", "https://")):
            asked.append(params["url"])
    return asked, result.stdout


@needs_chromium
def test_the_network_log_sees_a_request_a_page_makes(tmp_path: Path):
    """The check below is only worth something if it sees a page's request; host resolution goes nowhere."""
    page = tmp_path / "remote.html"
    page.write_text('<html><head><script src="https://cdn.invalid/x.js"></script></head><body>x</body></html>',
                    encoding="utf-8")
    asked, _ = open_in_chromium(page, tmp_path)
    assert asked == ["https://cdn.invalid/x.js"]


@needs_chromium
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_chromium_opens_the_pages_without_asking_the_network(site: Path, tmp_path: Path, dark: bool):
    pages = [site / "index.html", next(site.glob("expectations/*.html")), next(site.glob("validations/**/*.html"))]
    for page in pages:
        asked, dom = open_in_chromium(page, tmp_path, dark=dark)
        assert asked == [], f"{page.relative_to(site)} asked the network for {asked}"
        assert "bootstrap-table" in dom, f"{page.relative_to(site)}: its scripts did not run"  # built by the JS
