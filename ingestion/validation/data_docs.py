"""The Great Expectations Data Docs site, made to work offline.

GE 1.x writes pages that load Bootstrap, jQuery, Popper, bootstrap-table, bootstrap-datepicker,
Font Awesome, Vega and a dark theme from CDNs, and GE's logo from GE's own web server (with the
data context's id in the address); its site builder has no setting for local copies (the
addresses are written in its page templates). So after each build :func:`make_offline` copies
the same files, taken from their npm packages and kept in ``data_docs_assets/vendor/`` (each
listed in ``data_docs_assets/ASSETS.csv`` with the address it replaces, its package, licence and
SHA-256), into the site's ``static/vendor/``, and points every page at them; GE's logo comes
from the images GE copies into the site itself. Nothing is downloaded when the site is built
or opened.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent / "data_docs_assets"
#: where GE's pages take GE's logos from; the site has copies of GE's images in static/images
GE_WEB_ASSETS = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"

_TAG = re.compile(r"<(?:script|link|img)\b[^>]*>", re.IGNORECASE)
_ADDRESS = re.compile(r"""\b(src|href)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
# a local copy must not ask for CORS (file:// pages have no origin) nor check a hash the browser cannot
_CORS = re.compile(r"""\s+(?:integrity|crossorigin)(?:\s*=\s*(["']).*?\1)?(?=[\s/>])""", re.IGNORECASE | re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(["']?)(https?://[^"')]+)\1\s*\)""", re.IGNORECASE)
# in dark mode GE hides its logo and shows a dark variant from its web server: show the logo, inverted, instead
_DARK_LOGO_HIDDEN = ".navbar-brand a img {\n    visibility:hidden\n  }"
_DARK_LOGO_SHOWN = ".navbar-brand a img {\n    filter: invert(1) hue-rotate(180deg)\n  }"


@dataclass(frozen=True)
class Asset:
    """One vendored file: the address GE's pages load it from (empty if a stylesheet loads it), its local path."""

    url: str
    package: str
    path: str
    license: str
    sha256: str


@cache
def assets() -> tuple[Asset, ...]:
    """The vendored files, as ``ASSETS.csv`` lists them."""
    with (ASSETS_DIR / "ASSETS.csv").open(newline="", encoding="utf-8") as fh:
        return tuple(Asset(r["url"], r["package"], r["path"], r["license"], r["sha256"]) for r in csv.DictReader(fh))


def make_offline(site: Path) -> list[str]:
    """Point every page of the Data Docs ``site`` at local copies of what it loads; what is still remote."""
    vendor = site / "static" / "vendor"
    _copy_vendor(vendor)
    local = {a.url: vendor / a.path for a in assets() if a.url}
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        rewritten = _rewrite_page(text, page, site, local)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")
    for sheet in sorted((site / "static").rglob("*.css")):
        if vendor in sheet.parents:
            continue
        text = sheet.read_text(encoding="utf-8")
        rewritten = _rewrite_css(text)
        if rewritten != text:
            sheet.write_text(rewritten, encoding="utf-8")
    return remote_references(site)


def _copy_vendor(target: Path) -> None:
    """Copy the vendored files into the site (those already there with the same size are left)."""
    for asset in assets():
        source, copy = ASSETS_DIR / "vendor" / asset.path, target / asset.path
        if copy.exists() and copy.stat().st_size == source.stat().st_size:
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)


def _relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def _rewrite_page(text: str, page: Path, site: Path, local: dict[str, Path]) -> str:
    images = site / "static" / "images"

    def local_copy(url: str) -> Path | None:
        if url in local:
            return local[url]
        if url.startswith(GE_WEB_ASSETS):
            image = images / url[len(GE_WEB_ASSETS):].split("?")[0]
            return image if image.is_file() else None
        # GE counts one folder too few for the favicon of a validation page: find its static/ file
        _, found, rest = url.partition("static/")
        if found and ":" not in url and not (page.parent / url).exists() and (site / "static" / rest).is_file():
            return site / "static" / rest
        return None

    def tag(match: re.Match[str]) -> str:
        text = match.group(0)
        address = _ADDRESS.search(text)
        copy = local_copy(address.group(3).strip()) if address else None
        if copy is None:
            return text
        text = text[: address.start(3)] + _relative(copy, page) + text[address.end(3):]
        return _CORS.sub("", text)

    return _rewrite_css(_TAG.sub(tag, text))


def _rewrite_css(text: str) -> str:
    """GE's styles (in each page and in static/styles): no background image from GE's web server."""
    def url(match: re.Match[str]) -> str:
        return "none" if match.group(2).startswith(GE_WEB_ASSETS) else match.group(0)

    rewritten = _CSS_URL.sub(url, text)
    if rewritten != text:
        rewritten = rewritten.replace(_DARK_LOGO_HIDDEN, _DARK_LOGO_SHOWN)
    return rewritten


class _References(HTMLParser):
    """What a page loads when it opens: scripts, stylesheets, icons, images, and url()s of its styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio") and values.get("src"):
            self.found.append(values["src"] or "")
        elif tag == "link" and values.get("href"):
            self.found.append(values["href"] or "")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(m.group(2) for m in _CSS_URL.finditer(data))


def page_references(page: Path) -> list[str]:
    """Every address ``page`` loads when it opens (scripts, stylesheets, icons, images, style url()s)."""
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def remote_references(site: Path) -> list[str]:
    """``page: address`` for each thing a page (or a stylesheet of the site) would load from the network."""
    remote = []
    for page in sorted(site.rglob("*.html")):
        remote += [f"{page.relative_to(site)}: {a}" for a in page_references(page) if _is_remote(a)]
    for sheet in sorted((site / "static").rglob("*.css")):
        remote += [f"{sheet.relative_to(site)}: {m.group(2)}" for m in _CSS_URL.finditer(sheet.read_text("utf-8"))]
    return remote


def _is_remote(address: str) -> bool:
    return address.strip().lower().startswith(("http://", "https://", "//"))
