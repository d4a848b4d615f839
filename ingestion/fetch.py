"""Fetch a publisher's release (``pledgewatch pull``): from its URL, or a path, into a temporary file.

Where a source's release is fetched from: ``--from``, else the environment variable
``PLEDGEWATCH_SOURCE_URL_<NAME>`` (name upper-cased, ``-`` as ``_``, e.g.
``PLEDGEWATCH_SOURCE_URL_KIEL_UST``), else the publisher URL the format declares. A fetch
that fails raises :class:`FetchError` with what went wrong; nothing is stored then.
Each pull is logged in ``<home>/runs/pulls/<source>.json`` (outside ``raw/``, so an
unchanged release changes nothing there).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from ingestion.home import Home
from ingestion.sources.base import SourceFormat

TIMEOUT_SECONDS = 60
USER_AGENT = "pledgewatch (sanctions and pledge tracking warehouse)"


class FetchError(Exception):
    """A release could not be fetched (network error, HTTP error status, missing file)."""


def url_variable(source: str) -> str:
    """The environment variable that overrides a source's URL."""
    return "PLEDGEWATCH_SOURCE_URL_" + source.upper().replace("-", "_")


def release_location(fmt: SourceFormat, origin: str | None = None) -> str | None:
    """Where to fetch ``fmt``'s release from: ``origin``, else the configured URL, else the publisher's."""
    return origin or os.environ.get(url_variable(fmt.name)) or fmt.default_url


def fetch(location: str, folder: Path) -> Path:
    """Copy or download ``location`` into ``folder`` under its own file name; the path of the copy."""
    folder.mkdir(parents=True, exist_ok=True)
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme in ("http", "https"):
        name = Path(urllib.parse.unquote(parsed.path)).name or "release.csv"
        target = folder / name
        request = urllib.request.Request(location, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response, target.open("wb") as out:
                shutil.copyfileobj(response, out)
        except urllib.error.HTTPError as exc:
            raise FetchError(f"could not fetch {location}: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FetchError(f"could not fetch {location}: {reason}") from None
        return target
    path = Path(parsed.path if parsed.scheme == "file" else location).expanduser()
    if not path.is_file():
        raise FetchError(f"could not fetch {location}: no such file")
    target = folder / path.name
    shutil.copyfile(path, target)
    return target


def fetch_release_name(fmt: SourceFormat, location: str, folder: Path) -> str | None:
    """The publisher's name of the release at ``location``, from its release file beside it (Kiel's
    ``release_info.csv``), if the format has one and it can be fetched; None otherwise (never an error)."""
    if fmt.release_file is None or fmt.read_release is None:
        return None
    sibling = location.rsplit("/", 1)[0] + "/" + fmt.release_file if "/" in location else fmt.release_file
    try:
        path = fetch(sibling, folder / "release")
        return fmt.read_release(path)
    except (FetchError, OSError, ValueError, KeyError):
        return None


def download_folder(home: Home) -> Path:
    """A fresh temporary folder for one pull, inside the home (same file system as ``raw/``)."""
    home.root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".pull-", dir=home.root))


def log_pull(home: Home, source: str, location: str, outcome: str, sha256: str | None = None) -> None:
    """Remember the last pull of ``source`` (for ``pledgewatch sources``)."""
    folder = home.runs / "pulls"
    folder.mkdir(parents=True, exist_ok=True)
    entry = {"source": source, "location": location, "outcome": outcome, "sha256": sha256,
             "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    (folder / f"{source}.json").write_text(json.dumps(entry, indent=1), encoding="utf-8")


def last_pull(home: Home, source: str) -> dict | None:
    """The last pull of ``source`` as logged, if any."""
    path = home.runs / "pulls" / f"{source}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
