"""The Data Docs site made to work offline: vendored files, rewritten pages (issue 12)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import great_expectations

from ingestion.validation.data_docs import ASSETS_DIR, GE_WEB_ASSETS, assets, make_offline, remote_references

GE_TEMPLATES = Path(great_expectations.__file__).parent / "render" / "view" / "templates"
JQUERY = "https://code.jquery.com/jquery-3.7.1.min.js"
POPPER = "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js"


def test_every_vendored_file_is_the_one_listed_with_its_sha256():
    vendored = {p.relative_to(ASSETS_DIR / "vendor").as_posix() for p in (ASSETS_DIR / "vendor").rglob("*")
                if p.is_file()}
    assert vendored == {a.path for a in assets()}
    for asset in assets():
        data = (ASSETS_DIR / "vendor" / asset.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == asset.sha256, asset.path
        assert asset.license and "@" in asset.package


def test_every_stylesheet_and_script_ges_templates_load_has_a_local_copy():
    """A GE upgrade that loads something new from a CDN fails here, naming the address."""
    wanted = set()
    for template in GE_TEMPLATES.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        wanted |= set(re.findall(r"""<script[^>]*\bsrc=["'](https?://[^"']+)""", text))
        wanted |= set(re.findall(r"""<link[^>]*\bhref=["'](https?://[^"']+)""", text))
    assert wanted, "GE's templates moved: the test no longer sees what they load"
    assert wanted - {a.url for a in assets()} == set()


def test_the_integrity_hashes_ge_gives_match_the_vendored_files():
    import base64

    pages = "".join(t.read_text(encoding="utf-8") for t in GE_TEMPLATES.glob("*.j2"))
    pinned = dict(re.findall(r"""src="(https://[^"]+)" integrity="(sha384-[^"]+)\"""", pages))
    assert pinned
    for asset in assets():
        if asset.url in pinned:
            digest = hashlib.sha384((ASSETS_DIR / "vendor" / asset.path).read_bytes()).digest()
            assert "sha384-" + base64.b64encode(digest).decode() == pinned[asset.url]


def page(site: Path, relative: str, body: str) -> Path:
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><head>{body}</head><body></body></html>", encoding="utf-8")
    return path


def test_pages_at_any_depth_point_at_the_local_copies_without_cors(tmp_path: Path):
    site = tmp_path / "local_site"
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "logo-long.png").write_bytes(b"png")
    tags = (f'<script src="{JQUERY}"></script>'
            f'<script src="{POPPER}" integrity="sha384-x" crossorigin="anonymous"></script>'
            f'<img class="NO-CACHE"\n  src="{GE_WEB_ASSETS}logo-long.png?d=1&dataContextId=abc"\n  alt="GE"/>'
            f"<style>.a {{ background: url('{GE_WEB_ASSETS}full_logo_dark.png') 0 0 no-repeat; }}</style>"
            '<a href="https://greatexpectations.io">a link is not loaded</a>')
    index = page(site, "index.html", tags)
    deep = page(site, "validations/pledges/__none__/20250101T000000Z/run.html", tags)

    assert make_offline(site) == []
    text = index.read_text(encoding="utf-8")
    assert '<script src="static/vendor/jquery-3.7.1/dist/jquery.min.js"></script>' in text
    assert '<script src="static/vendor/popper.js-1.12.9/dist/umd/popper.min.js"></script>' in text
    assert 'src="static/images/logo-long.png"' in text and "background: none 0 0 no-repeat" in text
    assert '<a href="https://greatexpectations.io">' in text
    assert '<script src="../../../../static/vendor/jquery-3.7.1/dist/jquery.min.js">' in deep.read_text("utf-8")
    assert (site / "static" / "vendor" / "jquery-3.7.1" / "dist" / "jquery.min.js").is_file()
    assert make_offline(site) == []  # a second pass changes nothing


def test_a_static_file_addressed_at_the_wrong_depth_is_found(tmp_path: Path):
    site = tmp_path / "local_site"
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "favicon.ico").write_bytes(b"ico")
    deep = page(site, "validations/pledges/__none__/20250101T000000Z/run.html",
                '<link rel="shortcut icon" href="../../../static/images/favicon.ico" type="image/x-icon"/>')
    make_offline(site)
    assert 'href="../../../../static/images/favicon.ico"' in deep.read_text(encoding="utf-8")


def test_an_address_with_no_local_copy_is_reported(tmp_path: Path):
    site = tmp_path / "local_site"
    page(site, "index.html", '<link rel="stylesheet" href="https://cdn.example.org/new.css">'
                             '<script src="//cdn.example.org/new.js"></script>')
    assert make_offline(site) == ["index.html: https://cdn.example.org/new.css",
                                  "index.html: //cdn.example.org/new.js"]
    assert remote_references(site) == make_offline(site)
