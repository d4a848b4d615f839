"""Turn one publisher file into normalised, validated rows, skipping (and reporting) what cannot load.

``prepare_source`` reads the file as it was downloaded, checks the format's header, maps it
with the format's module (``ingestion/sources/``), then runs the mapped rows through the
same normalisation and Great Expectations suite as a hand-written extract. Unlike an
extract, a publisher's file is not all-or-nothing (SOURCES.md): a mapped row with a problem
is skipped and reported with its publisher row, and the other rows load. ``strict`` turns
any skipped row into a rejection of the file; a broken structure always rejects it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl

from ingestion.contracts import Dataset
from ingestion.datasets import get_dataset
from ingestion.prepare import PreparedFile, normalise_rows, validate_rows
from ingestion.problems import Problem, ProblemList
from ingestion.raw_files import file_sha256
from ingestion.readers import ROW, UnreadableFile, read_with_lines
from ingestion.sources import get_source
from ingestion.sources.base import SOURCE_ROWS, Mapped, SourceFormat, SourceOptionError, SourceOptions
from ingestion.validation.expectations import CheckOutcome
from ingestion.validation.sql_engine import validate_frame


def prepare_source(path: Path, source: str, options: SourceOptions, *, name: str | None = None,
                   sha256: str | None = None, today: date | None = None,
                   strict: bool = False) -> PreparedFile:
    """Read, map, normalise and validate the publisher file ``path`` as format ``source``."""
    fmt = get_source(source)
    dataset = get_dataset(fmt.dataset)
    display = name or str(path)
    digest = sha256 or file_sha256(path, follow_links=True)
    problems = ProblemList(display)

    def rejected(extra: list[Problem] | None = None) -> PreparedFile:
        return PreparedFile(path, dataset, digest, None, [*problems.to_list(), *(extra or [])],
                            source=fmt.name, options=options)

    try:
        raw = fmt.read(path) if fmt.read is not None else read_with_lines(path)
    except UnreadableFile as exc:
        problems.add(str(exc), check="file_readable")
        return rejected()
    except OSError as exc:
        problems.add(f"cannot read the file: {exc.strerror or exc}", check="file_readable")
        return rejected()
    missing = fmt.missing_columns(raw.columns)
    if missing:
        problems.add(f"not a {fmt.name} file: column(s) missing from the header: {', '.join(missing)}",
                     check="required_columns", column=", ".join(missing))
        return rejected()
    try:
        mapped = fmt.map(raw, options)
    except SourceOptionError as exc:
        problems.add(str(exc), check="source_options")
        return rejected()

    day = today or date.today()
    skipped = _skipped_problems(display, mapped)
    url = fmt.url_of(options)
    rows, dataset_problems, outcomes = _normalise_and_validate(_cite(mapped.rows, url, options), dataset, fmt,
                                                              display, today=day)
    side: dict[str, pl.DataFrame] = {}
    for side_name, frame in mapped.side.items():
        side[side_name], side_problems, _ = _normalise_and_validate(
            _cite(frame, url, options), get_dataset(side_name), fmt, display, today=day)
        dataset_problems += side_problems
    file_level = [p for p in dataset_problems if p.row is None]
    skipped += [p for p in dataset_problems if p.row is not None]
    skipped.sort(key=lambda p: (p.row or 0, p.column or ""))
    if file_level or (strict and skipped):
        reasons = skipped if strict else []
        return rejected([*file_level, *reasons])
    if rows.height == 0:
        problems.add("no row of the file could be mapped (see the skipped rows)", check="rows_mapped")
        return rejected(skipped)
    return PreparedFile(path, dataset, digest, rows, [], outcomes=outcomes, source=fmt.name, options=options,
                        side=side, skipped=skipped, counts=dict(mapped.counts),
                        # a snapshot (e.g. a sanctions list) covers the day it was taken
                        data_from=mapped.data_from or options.as_of, data_to=mapped.data_to or options.as_of)


def _cite(frame: pl.DataFrame, url: str | None, options: SourceOptions) -> pl.DataFrame:
    """Mapped rows with a ``source_url``: where the release was pulled from, else the row's own, else ``url``.

    Every row of a publisher file cites an address (SOURCES.md: provenance down to the file).
    """
    pulled = options.origin if options.origin and options.origin.lower().startswith(("http://", "https://")) else None
    own = pl.col("source_url") if "source_url" in frame.columns else pl.lit(None, pl.String)
    return frame.with_columns(pl.coalesce(pl.lit(pulled, pl.String), own, pl.lit(url, pl.String)).alias("source_url"))


def _skipped_problems(display: str, mapped: Mapped) -> list[Problem]:
    return [
        Problem(display, row, column, value, "source_mapping", reason)
        for row, column, value, reason in mapped.skipped.select("row", "column", "value", "reason").iter_rows()
    ]


def _normalise_and_validate(frame: pl.DataFrame, dataset: Dataset, fmt: SourceFormat, display: str, *,
                            today: date) -> tuple[pl.DataFrame, list[Problem], list[CheckOutcome]]:
    """Normalise and validate mapped rows: the rows without problems, the problems, the suite on the rows kept.

    Mapped rows are validated by their position (one publisher line can give several mapped rows);
    every problem is reported against the first publisher line behind it. When rows are dropped,
    the suite runs again on the rows kept, so that the outcomes describe exactly the rows that will
    be committed. Each kept row then gets its provenance: ``load_row`` its position, ``source_rows``
    every publisher line behind it, ``source_row`` that line where there is only one (null where
    the row sums several).
    """
    publisher_rows = frame.get_column(ROW).cast(pl.Int64)
    positioned = frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW))
    found = ProblemList(display)
    texts, rows = normalise_rows(positioned, dataset, found)
    lines = (frame.get_column(SOURCE_ROWS) if SOURCE_ROWS in frame.columns
             else publisher_rows.cast(pl.String)).alias("source_rows")
    rows = rows.with_columns(lines, source_extra=pl.lit(None, pl.String))
    outcomes = validate_rows(rows, texts, dataset, found, today=today)
    problems = found.to_list()
    bad_positions = {p.row for p in problems if p.row is not None}
    label = "" if dataset.name == fmt.dataset else f"{dataset.name}: "
    translated = [
        Problem(display, None if p.row is None else int(publisher_rows[p.row - 1]), p.column, p.value, p.check,
                f"{label}{p.reason}")
        for p in problems
    ]
    keep = ~rows.get_column("source_row").is_in(list(bad_positions))
    kept = rows.filter(keep)
    if bad_positions and kept.height:
        outcomes = validate_frame(kept, dataset, today=today)
    single_line = pl.col("source_rows").str.contains(r"^\d+$")
    kept = kept.with_columns(
        pl.col("source_row").alias("load_row"),
        pl.when(single_line).then(pl.col("source_rows").cast(pl.Int64, strict=False)).alias("source_row"),
    )
    return kept, translated, outcomes


def options_json(options: SourceOptions) -> str:
    """The options as stored in ``meta.source_releases``."""
    return json.dumps({k: v for k, v in options.as_dict().items() if v}, sort_keys=True)
