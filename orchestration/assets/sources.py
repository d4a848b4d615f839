"""Publishers and the pull of their releases: ``publisher/<source>`` → ``sources/<source>`` → ``raw/<dataset>``.

Each publisher format has an external asset standing for the publisher's site and a pull
asset that fetches the release (the configured or publisher URL), and stores it under
``raw/sources/<source>/`` when its content is new and it maps; the dataset's load asset,
downstream, loads it. The ``pull_sources`` job runs the pulls of sources that have a URL
and rebuilds what depends on them; its weekly schedule is off until switched on in the UI.
"""


import shutil

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from ingestion import prepared_store
from ingestion.fetch import (
    download_folder,
    log_pull,
    release_location,
    url_variable,
)
from ingestion.pull import pull_release
from ingestion.release_size import shrunken_release
from ingestion.sources import source_formats
from ingestion.sources.base import SourceFormat
from ingestion.store import quarantine, store
from ingestion.sync import prepare
from orchestration.resources import WarehouseResource


def source_key(fmt: SourceFormat) -> AssetKey:
    """``sources/<source>``: the latest stored release of a publisher format."""
    return AssetKey(["sources", fmt.name.replace("-", "_")])


def publisher_key(fmt: SourceFormat) -> AssetKey:
    """``publisher/<source>``: the publisher's own site (external)."""
    return AssetKey(["publisher", fmt.name.replace("-", "_")])


def publisher_spec(fmt: SourceFormat) -> AssetSpec:
    """The publisher's release, outside pledgewatch."""
    return AssetSpec(
        publisher_key(fmt), group_name="sources", kinds={"csv"},
        description=f"{fmt.publisher}: {fmt.description.splitlines()[0] if fmt.description else fmt.name} "
                    f"(published at {fmt.default_url or 'no fixed URL: pulled with --from'})",
        metadata={"url": fmt.default_url or "", "url_override": url_variable(fmt.name)},
    )


def build_pull_asset(fmt: SourceFormat):
    """Fetch ``fmt``'s release and store it under ``raw/sources/<source>/`` when it is new and maps."""

    @asset(
        key=source_key(fmt), group_name="sources", deps=[publisher_key(fmt)], kinds={"python"},
        description=f"The latest release of {fmt.name}, fetched from the publisher and stored byte for byte "
                    f"under raw/sources/{fmt.name}/ (an identical release changes nothing).",
    )
    def _pull(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        home = warehouse.paths
        location = release_location(fmt)
        if location is None or fmt.requires:
            raise Failure(f"{fmt.name} cannot be pulled on a schedule: "
                          + (f"it needs {', '.join(fmt.requires)}; " if fmt.requires else "")
                          + f"set {url_variable(fmt.name)} or run `pledgewatch pull {fmt.name} --from ...`")
        folder = download_folder(home)
        try:
            pulled = pull_release(home, fmt, folder)
            if pulled.outcome == "failed":
                raise Failure(f"{pulled.error}; nothing was stored (raw/ and the warehouse are unchanged). "
                              f"{pulled.error.advice}")
            if pulled.outcome == "unchanged":
                context.log.info(f"{fmt.name}: the release is identical to {pulled.same}; nothing to do")
                return MaterializeResult(metadata={"outcome": "unchanged", "file": pulled.same,
                                                   "sha256": pulled.sha256})
            path, options, sha = pulled.path, pulled.options, pulled.sha256
            prepared = prepare(path, fmt.dataset, home=home, name=location, source=fmt.name, options=options)
            if not prepared.accepted:
                quarantine(home, prepared)
                log_pull(home, fmt.name, location, "rejected", sha)
                raise Failure(f"{fmt.name}: the release from {location} was rejected",
                              metadata={"problems": MetadataValue.md(
                                  "\n".join(f"- {p.as_text()}" for p in prepared.problems[:50]))})
            shrunk = shrunken_release(home, prepared)
            if shrunk is not None:
                context.log.warning(f"{shrunk.describe(location)}; it replaces the current release all the same. "
                                    "If it is incomplete, pull again when it is whole.")
            target = store(home, prepared)
            prepared.path = target
            prepared_store.save(home.prepared, prepared)  # the load downstream takes it without validating again
            log_pull(home, fmt.name, location, "stored", sha)
            return MaterializeResult(metadata={
                "outcome": "stored", "file": home.relative(target), "sha256": sha,
                "rows": prepared.rows.height if prepared.rows is not None else 0,
                "rows_skipped": len(prepared.skipped),
                **({"warning": f"far fewer rows than the current release {shrunk.current.source_file} "
                               f"({shrunk.current.rows:,})"} if shrunk else {}),
            })
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return _pull


publisher_specs = [publisher_spec(f) for f in source_formats().values()]
pull_assets = [build_pull_asset(f) for f in source_formats().values()]


def pullable_keys() -> list[AssetKey]:
    """Pull assets of the sources that can be pulled unattended (a URL, no required option)."""
    return [source_key(f) for f in source_formats().values() if release_location(f) and not f.requires]
