"""Fetching a publisher's release, written once for the ``pull`` command and the Dagster pull assets.

Fetch from the given address (else the configured or publisher URL), read the publisher's name of
the release where it publishes one, hash it, compare it with the stored releases, and log the pull:
a release that cannot be fetched or is already stored ends here; a new one is handed back with the
options it will be stored and mapped with (validating and storing it is the caller's: the command
ingests it as a Dagster run, the asset stores it for the load downstream).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingestion.fetch import FetchError, fetch, fetch_release_name, log_pull, release_location
from ingestion.home import Home
from ingestion.raw_files import file_sha256
from ingestion.source_store import identical_release
from ingestion.sources.base import SourceFormat, SourceOptions


@dataclass(frozen=True)
class Pulled:
    """One fetch of a release: ``outcome`` is ``new`` (``path`` and ``options`` to ingest), ``unchanged``
    (``same`` is the stored file with these bytes) or ``failed`` (``error`` says why, nothing was stored)."""

    fmt: SourceFormat
    location: str
    outcome: str
    path: Path | None = None
    options: SourceOptions | None = None
    sha256: str | None = None
    same: str | None = None
    error: FetchError | None = None


def pull_release(home: Home, fmt: SourceFormat, folder: Path, *, origin: str | None = None,
                 as_of: date | None = None, importer: str | None = None, release: str | None = None) -> Pulled:
    """Fetch ``fmt``'s release into ``folder`` (from ``origin``, else its configured or publisher URL).

    Raises ``LookupError`` when the format has no address to pull from.
    """
    location = release_location(fmt, origin)
    if location is None:
        raise LookupError(fmt.name)
    try:
        path = fetch(location, folder)
        release = release or fetch_release_name(fmt, location, folder)
    except FetchError as exc:
        log_pull(home, fmt.name, location, f"failed: {exc}")
        return Pulled(fmt, location, "failed", error=exc)
    # a list that carries no date is stamped with the day it was downloaded
    options = SourceOptions(as_of=as_of or (date.today() if fmt.needs_as_of else None), importer=importer,
                            release=release, origin=location)
    sha = file_sha256(path)
    same = identical_release(home, fmt.name, sha, options.importer)
    if same is not None:
        log_pull(home, fmt.name, location, "unchanged", sha)
        return Pulled(fmt, location, "unchanged", path, options, sha, same=same)
    return Pulled(fmt, location, "new", path, options, sha)
