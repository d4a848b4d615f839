"""Fetch a publisher's release (``pledgewatch pull``): from its URL, or a path, into a temporary file.

Where a source's release is fetched from: ``--from``, else the environment variable
``PLEDGEWATCH_SOURCE_URL_<NAME>`` (name upper-cased, ``-`` as ``_``, e.g.
``PLEDGEWATCH_SOURCE_URL_KIEL_UST``), else the publisher URL the format declares. A fetch
that fails raises :class:`FetchError` with what went wrong; nothing is stored then.

A download is written to a hidden temporary file and handed over only when it is complete:
as many bytes as the server's ``Content-Length`` promised (a connection closed early is
caught, however ``http.client`` reports it) and, where the server gives a checksum of the
body (``Digest``, ``Repr-Digest`` or ``Content-Digest`` with SHA-256, SHA-512 or MD5, or
``Content-MD5``), the checksum of the bytes received.
Each pull is logged in ``<home>/runs/pulls/<source>.json`` (outside ``raw/``, so an
unchanged release changes nothing there).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import http.client
import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any

from ingestion.home import Home
from ingestion.sources.base import SourceFormat

TIMEOUT_SECONDS = 60
USER_AGENT = "pledgewatch (sanctions and pledge tracking warehouse)"
CHUNK = 1 << 16
#: checksum algorithms of the ``Digest``/``Repr-Digest``/``Content-Digest`` headers: header name -> hashlib name
DIGEST_ALGORITHMS = {"sha-256": "sha256", "sha-512": "sha512", "md5": "md5"}
RETRY = "Pull again."


class FetchError(Exception):
    """A release could not be fetched (network error, HTTP error status, a cut or damaged download, missing file)."""

    def __init__(self, message: str, advice: str = "Check the address (or the network) and pull again.") -> None:
        super().__init__(message)
        #: what to do about it, one sentence.
        self.advice = advice


def url_variable(source: str) -> str:
    """The environment variable that overrides a source's URL."""
    return "PLEDGEWATCH_SOURCE_URL_" + source.upper().replace("-", "_")


def release_location(fmt: SourceFormat, origin: str | None = None) -> str | None:
    """Where to fetch ``fmt``'s release from: ``origin``, else the configured URL, else the publisher's."""
    return origin or os.environ.get(url_variable(fmt.name)) or fmt.default_url


def fetch(location: str, folder: Path) -> Path:
    """Copy or download ``location`` into ``folder`` under its own file name; the path of the complete copy."""
    folder.mkdir(parents=True, exist_ok=True)
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme in ("http", "https"):
        name = Path(urllib.parse.unquote(parsed.path)).name or "release.csv"
        return _handed_over(folder / name, lambda partial: _download(location, partial))
    path = Path(parsed.path if parsed.scheme == "file" else location).expanduser()
    if not path.is_file():
        raise FetchError(f"could not fetch {location}: no such file")
    return _handed_over(folder / path.name, lambda partial: _copy(location, path, partial))


def _handed_over(target: Path, write: Callable[[Path], None]) -> Path:
    """Let ``write`` fill a hidden temporary file beside ``target``; rename it to ``target`` only if it succeeds."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        write(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
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


def _copy(location: str, path: Path, partial: Path) -> None:
    """Copy a local release, checking that every byte arrived (a file being written meanwhile)."""
    size = path.stat().st_size
    shutil.copyfile(path, partial)
    copied = partial.stat().st_size
    if copied != size:
        raise FetchError(f"could not fetch {location}: the file had {size:,} bytes and {copied:,} were copied: "
                         "the copy was cut short", advice=RETRY)


def _download(location: str, partial: Path) -> None:
    """Download ``location`` into ``partial``; raise :class:`FetchError` unless the body is whole and intact."""
    request = urllib.request.Request(location, headers={"User-Agent": USER_AGENT})
    received, promised = 0, None
    checksums: list[tuple[str, str, bytes]] = []
    hashers: dict[str, Any] = {}
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response, partial.open("wb") as out:
            promised = _promised_length(response)
            checksums = _checksums(response.headers)
            hashers = {algorithm: hashlib.new(algorithm) for _, algorithm, _ in checksums}
            while chunk := _read(response, location, promised, received):
                out.write(chunk)
                received += len(chunk)
                for hasher in hashers.values():
                    hasher.update(chunk)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"could not fetch {location}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FetchError(f"could not fetch {location}: {reason}") from None
    if promised is not None and received != promised:
        raise FetchError(_cut_short(location, promised, received), advice=RETRY)
    for header, algorithm, expected in checksums:
        if hashers[algorithm].digest() != expected:
            raise FetchError(
                f"could not fetch {location}: the {_algorithm_label(algorithm)} checksum of the {received:,} bytes "
                f"received does not match the one the server gave ({header}): the download is damaged",
                advice=RETRY)


def _read(response: http.client.HTTPResponse, location: str, promised: int | None, received: int) -> bytes:
    """The next block of the body (empty at its end); a connection that breaks meanwhile raises FetchError."""
    try:
        return response.read(CHUNK)
    except http.client.IncompleteRead as exc:
        raise FetchError(_cut_short(location, promised, received + len(exc.partial)), advice=RETRY) from None
    except (TimeoutError, OSError) as exc:
        raise FetchError(f"could not fetch {location}: the connection broke after {received:,} bytes "
                         f"({getattr(exc, 'strerror', None) or exc}): the download was cut short",
                         advice=RETRY) from None


def _cut_short(location: str, promised: int | None, received: int) -> str:
    if promised is None:
        return (f"could not fetch {location}: the server closed the connection after {received:,} bytes, "
                "before the end of the file: the download was cut short")
    return f"could not fetch {location}: the server promised {promised:,} bytes and sent {received:,}: " \
           "the download was cut short"


def _promised_length(response: http.client.HTTPResponse) -> int | None:
    """The body length the server declared (``Content-Length``), unless the body is chunked."""
    if getattr(response, "chunked", False):
        return None
    value = (response.headers.get("Content-Length") or "").strip()
    return int(value) if value.isdigit() else None


def _checksums(headers: Message) -> list[tuple[str, str, bytes]]:
    """Checksums of the body the server gives: (header, hashlib algorithm, expected digest); unknown ones ignored."""
    found: list[tuple[str, str, bytes]] = []
    seen: set[str] = set()
    for header in ("Repr-Digest", "Content-Digest", "Digest"):
        for value in headers.get_all(header) or []:
            for member in value.split(","):
                label, _, encoded = member.strip().partition("=")
                algorithm = DIGEST_ALGORITHMS.get(label.strip().lower())
                expected = _base64(encoded.strip().strip(":"))  # RFC 9530 wraps the bytes in colons
                if algorithm and expected and algorithm not in seen:
                    found.append((header, algorithm, expected))
                    seen.add(algorithm)
    md5 = _base64((headers.get("Content-MD5") or "").strip())
    if md5 and "md5" not in seen:
        found.append(("Content-MD5", "md5", md5))
    return found


def _base64(text: str) -> bytes | None:
    if not text or not re.fullmatch(r"[A-Za-z0-9+/=_-]+", text):
        return None
    text = text.rstrip("=")
    try:
        return base64.b64decode(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _algorithm_label(algorithm: str) -> str:
    return {"sha256": "SHA-256", "sha512": "SHA-512", "md5": "MD5"}[algorithm]


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
