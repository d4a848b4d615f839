"""Turn one extract file into normalised, validated rows of its dataset.

``prepare_file`` reads the file, matches its header to the contract, parses every column
by its type (countries, dates, months, money, currencies, URLs), applies defaults,
converts money and derives ids; then the dataset's Great Expectations suite checks the
normalised rows (required values, enums, ranges, dependencies between columns,
uniqueness, dates in the future, text length). Parse problems and the suite's findings
come back as one list, every problem of the file at once.

A CSV file is read and parsed in batches of :data:`ingestion.readers.BATCH_ROWS` rows, two at a time
(:func:`parsed_in_order`); given a ``spill`` folder, each batch's typed rows are written there as a Parquet
part as soon as it is parsed (:class:`TypedRows`) and the suite reads them from there, so a file of
millions of rows is never in memory whole, neither as text nor typed.
"""

from __future__ import annotations

import itertools
import shutil
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import duckdb
import polars as pl

from ingestion import row_parts
from ingestion.contracts import Column, Dataset
from ingestion.normalize import countries
from ingestion.normalize.rates import convert_money
from ingestion.normalize.values import (
    REASONS,
    enum_key,
    parse_boolean,
    parse_currency,
    parse_date,
    parse_integer,
    parse_month,
    parse_number,
    parse_number_column,
    parse_text,
    parse_url,
    suggest_enum,
)
from ingestion.problems import Problem, ProblemList
from ingestion.query_limits import default_threads
from ingestion.raw_files import file_sha256
from ingestion.readers import ROW, UnreadableFile, read_file, read_file_batches
from ingestion.sources.base import SourceOptions

if TYPE_CHECKING:
    from ingestion.validation.expectations import CheckOutcome

#: Column types whose values repeat a lot (countries, enums, dates): parsed once per distinct value.
PARSED_PER_DISTINCT_VALUE = frozenset({"country", "enum", "date", "month", "currency", "url"})
T = TypeVar("T")
R = TypeVar("R")
#: Batches of a big file parsed at once: one per core, two at most (each holds a batch in memory).
PARSERS = min(2, default_threads())


@dataclass
class PreparedFile:
    """A file read and checked: rows to load, or the problems that reject it.

    An extract (``source`` None) or a publisher's file (``source`` its format): one interface, the
    publisher's file also bringing its options, side tables, skipped rows and coverage.
    """

    path: Path
    dataset: Dataset
    sha256: str
    rows: pl.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    #: columns of the file that the contract does not know (kept in provenance).
    extra_columns: list[str] = field(default_factory=list)
    #: the suite's result on ``rows`` (every expectation, passed or not); empty if it did not run.
    outcomes: list[CheckOutcome] = field(default_factory=list)
    #: the publisher format of a publisher's file, None for an extract.
    source: str | None = None
    #: the options a publisher's file was mapped with.
    options: SourceOptions = field(default_factory=SourceOptions)
    #: rows of further datasets a release carries (e.g. ``pledge_commitments``), normalised.
    side: dict[str, pl.DataFrame] = field(default_factory=dict)
    #: publisher rows not loaded, each with its line, value and reason.
    skipped: list[Problem] = field(default_factory=list)
    #: figures of the mapping for the load report (e.g. rows of other transaction types).
    counts: dict[str, int] = field(default_factory=dict)
    #: the first and last day a release's data cover, as the file shows them.
    data_from: date | None = None
    data_to: date | None = None
    #: the rows on disk instead of ``rows`` in memory (:mod:`ingestion.row_parts`): a big file's, or a validation
    #: handed over by the command that ran it (:mod:`ingestion.prepared_store`); DuckDB loads them from there.
    rows_dir: Path | None = None
    #: the file's bytes as they were hashed, copied beside the validation and flushed to disk while it was parsed
    #: (the command's hand-over): storing the file moves these under ``raw/`` instead of copying the file again.
    stored_bytes: Path | None = None

    @property
    def accepted(self) -> bool:
        """True when the file has no problem."""
        return not self.problems and (self.rows is not None or self.rows_dir is not None)

    @property
    def row_count(self) -> int:
        """How many rows the file brings (0 when it is rejected)."""
        if self.rows is not None:
            return self.rows.height
        if self.rows_dir is not None:
            return row_parts.count(self.rows_dir)
        return 0

    def refuse(self, problem: Problem) -> None:
        """Turn an accepted file into a rejected one: ``problem`` is why, and it brings no rows."""
        self.problems = [problem]
        self.rows = None
        self.rows_dir = None
        self.stored_bytes = None

    @property
    def is_release(self) -> bool:
        """True for a publisher's file (a release of a source), False for an extract."""
        return self.source is not None


def prepare_file(path: Path, dataset: Dataset, *, name: str | None = None, sha256: str | None = None,
                 today: date | None = None, spill: Path | None = None, keep_bytes: bool = False) -> PreparedFile:
    """Read, normalise and validate ``path`` as ``dataset``; ``name`` is how reports call it.

    ``spill``: a folder where the typed rows are written batch by batch as they are parsed (the result's
    ``rows_dir``: :mod:`ingestion.row_parts`), and validated there, instead of being held in memory (``rows``).
    ``keep_bytes`` (with ``spill``): the file is also copied there as it is hashed, beside the parsing, and an
    accepted file's copy is its ``stored_bytes`` (what storing it moves under ``raw/``)."""
    if sha256 is not None:
        return _prepare_file(path, dataset, name or str(path), lambda: sha256, today, spill)
    copy = None
    if keep_bytes and spill is not None:
        spill.mkdir(parents=True, exist_ok=True)
        copy = spill / f"bytes-{uuid.uuid4().hex}"
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as hasher:
            # read beside the parsing (hashlib and file writes let go of Python's lock)
            digest = hasher.submit(file_sha256, path, follow_links=True, copy_to=copy)
            prepared = _prepare_file(path, dataset, name or str(path), digest.result, today, spill)
    except BaseException:
        if copy is not None:
            copy.unlink(missing_ok=True)
        raise
    if copy is not None:
        if prepared.accepted:
            prepared.stored_bytes = copy
        else:
            copy.unlink(missing_ok=True)
    return prepared


def _prepare_file(path: Path, dataset: Dataset, display: str, sha256: Callable[[], str], today: date | None,
                  spill: Path | None) -> PreparedFile:
    problems = ProblemList(display)
    # the text a problem quotes is read again from the file, should one be found: the rows as read are let go
    # batch by batch, column by column, as they are parsed (a big file is never in memory whole as text)
    texts = RowTexts(lambda: _read_again(path, dataset, sha256()), dataset)
    typed = TypedRows(spill)
    try:
        batches = read_file_batches(path)
        first = next(batches)  # there is one, or the file is unreadable
        extra = _match_header(first, dataset, problems)[1]
        if problems:
            return PreparedFile(path, dataset, sha256(), None, problems.to_list(), extra)

        def parse(numbered: tuple[int, pl.DataFrame], found: ProblemList) -> pl.DataFrame | None:
            index, raw = numbered
            # every batch has the file's header: its problems are reported once, above
            columns = ColumnsAsRead.of(_match_header(raw, dataset, ProblemList(display))[0])
            del raw, numbered
            return typed.keep(index, _typed_batch(columns, extra, texts, dataset, found))

        for batch in parsed_in_order(enumerate(itertools.chain([first], batches)), parse, problems):
            typed.add(batch)
        del first
        rows = typed.finish()
        outcomes = validate_rows(rows, texts, dataset, problems, today=today or date.today())
    except UnreadableFile as exc:  # unreadable, or it changed while it was validated
        typed.discard()
        return PreparedFile(path, dataset, sha256(), None, [Problem(display, None, None, None, "file_readable",
                                                                    str(exc))])
    except OSError as exc:
        typed.discard()
        return PreparedFile(path, dataset, sha256(), None, [Problem(
            display, None, None, None, "file_readable", f"cannot read the file: {exc.strerror or exc}")])
    except BaseException:
        typed.discard()
        raise
    found = problems.to_list()
    if found:
        typed.discard()
        return PreparedFile(path, dataset, sha256(), None, found, extra, outcomes)
    if isinstance(rows, Path):
        return PreparedFile(path, dataset, sha256(), None, [], extra, outcomes, rows_dir=rows)
    return PreparedFile(path, dataset, sha256(), rows, [], extra, outcomes)


def parsed_in_order(batches: Iterator[T], parse: Callable[[T, ProblemList], R],
                    problems: ProblemList) -> Iterator[R]:
    """``parse(batch, problems of the batch)`` of each batch, in order, the batches parsed :data:`PARSERS` at a
    time (polars and DuckDB let go of Python's lock while they work, so each takes a core); the problems of each
    batch are added to ``problems`` in order. At most :data:`PARSERS` batches are in hand at once."""
    with ThreadPoolExecutor(max_workers=PARSERS, thread_name_prefix="parse") as pool:
        pending: deque[tuple[Future[R], ProblemList]] = deque()
        for batch in batches:
            found = ProblemList(problems.file)
            pending.append((pool.submit(parse, batch, found), found))
            del batch
            while len(pending) >= PARSERS or (pending and pending[0][0].done()):
                future, found = pending.popleft()
                yield future.result()
                problems.extend(found)
        while pending:
            future, found = pending.popleft()
            yield future.result()
            problems.extend(found)


class TypedRows:
    """The typed rows of a file, batch by batch: in memory, or, given a ``spill`` folder, as Parquet parts in a
    folder there (:mod:`ingestion.row_parts`), written where each batch was parsed, so that a big file's rows are
    never in memory whole."""

    def __init__(self, spill: Path | None):
        self.folder = None if spill is None else spill / f"rows-{uuid.uuid4().hex}"
        self._batches: list[pl.DataFrame] = []

    def keep(self, index: int, batch: pl.DataFrame) -> pl.DataFrame | None:
        """Where batch ``index`` was parsed (in any order, on any thread): written as its part when spilling
        (None returned), else handed back for :meth:`add`."""
        if self.folder is None:
            return batch
        self.folder.mkdir(parents=True, exist_ok=True)
        row_parts.write_part(self.folder, index, batch)
        return None

    def add(self, batch: pl.DataFrame | None) -> None:
        """Take the next batch :meth:`keep` handed back, in order (None: it is on disk)."""
        if batch is not None:
            self._batches.append(batch)

    def finish(self) -> pl.DataFrame | Path:
        """Every row taken: one frame, or the folder that holds them."""
        if self.folder is not None:
            return self.folder
        rows = pl.concat(self._batches, rechunk=False)
        self._batches.clear()
        return rows

    def discard(self) -> None:
        """Let the rows go (the file is rejected): the folder is removed."""
        self._batches.clear()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _typed_batch(columns: ColumnsAsRead, extra: list[str], texts: RowTexts, dataset: Dataset,
                 problems: ProblemList) -> pl.DataFrame:
    """The typed rows of one batch of a file's rows as read, ready to load (columns beyond the contract's kept
    as JSON in ``source_extra``)."""
    rows = _normalise(columns, texts, dataset, problems)
    if extra:
        rows = rows.with_columns(
            source_extra=pl.struct([pl.col(c).alias(c.removeprefix("extra:")) for c in extra]).struct.json_encode()
        )
    else:
        rows = rows.with_columns(source_extra=pl.lit(None, pl.String))
    return rows.drop(extra).with_columns(load_row=pl.col("source_row"), source_rows=pl.lit(None, pl.String))


def _read_again(path: Path, dataset: Dataset, sha256: str) -> pl.DataFrame:
    """The file's rows as :func:`prepare_file` read them, read again (only to quote the text of a problem)."""
    if file_sha256(path, follow_links=True) != sha256:
        raise UnreadableFile("the file changed while it was being validated: validate it again")
    raw, _extra = _match_header(read_file(path), dataset, ProblemList(str(path)))
    return raw


def _match_header(raw: pl.DataFrame, dataset: Dataset, problems: ProblemList) -> tuple[pl.DataFrame, list[str]]:
    """Rename the file's columns to contract names; report missing and duplicate ones."""
    known = set(dataset.extract_columns)
    renames: dict[str, str] = {}
    seen: dict[str, str] = {}
    extra: list[str] = []
    for original in raw.columns:
        if original == ROW:
            continue
        key = original.strip().lower()
        if key in seen:
            problems.add(f"column {original!r} appears twice in the header (also as {seen[key]!r})",
                         check="header_unique", column=key)
            continue
        seen[key] = original
        if key in known:
            renames[original] = key
        else:
            renames[original] = f"extra:{original.strip()}"
            extra.append(f"extra:{original.strip()}")
    missing = [c for c in dataset.required_columns if c not in seen]
    if missing:
        hint = _closest_dataset_hint(set(seen), dataset)
        problems.add(
            f"required column(s) missing from the header: {', '.join(missing)}{hint}",
            check="required_columns", column=", ".join(missing),
        )
    return raw.select([ROW, *renames]).rename(renames), extra


def _closest_dataset_hint(header: set[str], dataset: Dataset) -> str:
    from ingestion.datasets import DATASETS  # local: datasets import this module's siblings

    best = max(DATASETS.values(), key=lambda d: len(header & set(d.required_columns)) / len(d.required_columns))
    if best.name != dataset.name and header >= set(best.required_columns):
        return f" (the columns are those of the {best.name!r} dataset: ingest it with --dataset {best.name})"
    return ""


class RowTexts:
    """The trimmed text of each contract column of a file's rows (blank as null), as problems quote it.

    Read from the rows as read, a column when a problem first needs it: a file without problems (the
    usual case, and the big one) never makes a second copy of its text.
    """

    def __init__(self, raw: pl.DataFrame | Callable[[], pl.DataFrame], dataset: Dataset):
        self._raw = raw
        self.columns = [c.name for c in dataset.columns]
        self._texts: dict[str, pl.Series] = {}

    def get_column(self, name: str) -> pl.Series:
        """The trimmed text of contract column ``name``, in row order (null where blank or absent)."""
        if name not in self.columns:
            raise KeyError(name)
        if name not in self._texts:
            if not isinstance(self._raw, pl.DataFrame):
                self._raw = self._raw()
            if name in self._raw.columns:
                text = self._raw.select(parse_text(pl.col(name)).alias(name)).to_series()
            else:
                text = pl.repeat(None, self._raw.height, dtype=pl.String, eager=True).alias(name)
            self._texts[name] = text
        return self._texts[name]


class ColumnsAsRead:
    """The columns of a file's rows as read, each handed out once: a parsed column is let go, not held beside
    its typed twin (a big file is not in memory twice)."""

    def __init__(self, height: int, columns: dict[str, pl.Series]):
        self.height = height
        self.names = list(columns)
        self._columns = columns

    @classmethod
    def of(cls, frame: pl.DataFrame) -> ColumnsAsRead:
        """The columns of ``frame`` (which the caller then lets go)."""
        return cls(frame.height, {name: frame.get_column(name) for name in frame.columns})

    def take(self, name: str) -> pl.Series | None:
        """Column ``name``, no longer held here; None where the file has no such column."""
        return self._columns.pop(name, None)


def normalise_rows(raw: pl.DataFrame, dataset: Dataset, problems: ProblemList) -> tuple[RowTexts, pl.DataFrame]:
    """Parse every contract column of ``raw`` into its type; report values that do not parse.

    Returns the trimmed text of each column (for reports, read on demand) and the typed rows ready to load.
    """
    texts = RowTexts(raw, dataset)
    return texts, _normalise(ColumnsAsRead.of(raw), texts, dataset, problems)


def _normalise(unparsed: ColumnsAsRead, texts: RowTexts, dataset: Dataset, problems: ProblemList) -> pl.DataFrame:
    """The typed rows of the columns in ``unparsed`` (taken from it one by one); problems quote ``texts``."""
    height, names = unparsed.height, unparsed.names
    row = unparsed.take(ROW)
    extra = pl.DataFrame([unparsed.take(c) for c in names if c.startswith("extra:")])
    parsed: list[pl.Series] = []
    for col in dataset.columns:
        source = unparsed.take(col.name)
        if source is None:
            source = pl.repeat(None, height, dtype=pl.String, eager=True)
        columns = _parse_column(col, source.alias(col.name))
        del source
        text = columns.get_column("_text").alias(col.name)
        value = columns.get_column("_parsed").alias(col.name)
        kind = columns.get_column("_kind").alias(f"_kind_{col.name}") if col.type == "country" else None
        del columns
        parsed.append(value)
        if kind is not None:
            parsed.append(kind)
        bad = (text.is_not_null() & value.is_null()).alias(f"_bad_{col.name}")
        if bad.any():
            both = pl.DataFrame([row, bad, *([kind] if kind is not None else [])]).with_columns(text.alias("_raw"))
            _report_unparsed(both, col, problems)
    typed = pl.DataFrame([row, *parsed]).hstack(extra)
    del parsed
    typed = _apply_defaults(typed, dataset)
    typed = _convert_money(typed, dataset)
    typed = _derive_id(typed, dataset)
    keep = [c for c in dataset.table_columns() if c in typed.columns]
    return typed.select(ROW, *keep, *extra.columns).rename({ROW: "source_row"})


def _parse_column(col: Column, values: pl.Series) -> pl.DataFrame:
    """``_text`` (trimmed, blank as null), ``_parsed`` (typed, null if invalid) and, for countries, ``_kind``.

    Repetitive types are parsed once per distinct value and joined back, so a country or a
    month costs the same whether it appears once or two million times.
    """
    if col.type not in PARSED_PER_DISTINCT_VALUE:
        frame = values.to_frame("_value").select(parse_text(pl.col("_value")).alias("_text"))
        if col.type in ("money", "decimal"):
            text = frame.get_column("_text")
            return frame.with_columns(parse_number_column(text, multipliers=col.type == "money").alias("_parsed"))
        return frame.with_columns(_parse(col, pl.col("_text")).alias("_parsed"))
    distinct = values.unique().to_frame("_value").with_columns(parse_text(pl.col("_value")).alias("_text"))
    if col.type == "country":
        resolved = countries.resolve(distinct.get_column("_text"), allowed_kinds=("country", *col.groups))
        distinct = distinct.with_columns(
            resolved.get_column("code").alias("_parsed"), resolved.get_column("kind").alias("_kind")
        )
    else:
        distinct = distinct.with_columns(_parse(col, pl.col("_text")).alias("_parsed"))
    return values.to_frame("_value").join(
        distinct, on="_value", how="left", maintain_order="left", nulls_equal=True
    ).drop("_value")


def _parse(col: Column, value: pl.Expr) -> pl.Expr:
    match col.type:
        case "text":
            return value
        case "date":
            return parse_date(value)
        case "month":
            return parse_month(value)
        case "money":
            return parse_number(value, multipliers=True)
        case "decimal":
            return parse_number(value, multipliers=False)
        case "integer":
            return parse_integer(value)
        case "enum":
            return enum_key(value)  # membership is checked by the suite, with suggestions
        case "currency":
            return parse_currency(value)
        case "url":
            return parse_url(value)
        case "boolean":
            return parse_boolean(value)
    raise ValueError(f"no parser for column type {col.type!r}")


def _report_unparsed(both: pl.DataFrame, col: Column, problems: ProblemList) -> None:
    """Values of one column that do not parse as its type (or name no known country).

    ``both``: the rows (``__row``), whether each value is bad (``_bad_<column>``), its trimmed text (``_raw``)
    and, for a country column, the kind of entity it names (``_kind_<column>``)."""
    if col.type == "country":
        _report_countries(both, col, problems)
    elif col.type not in ("text", "enum"):
        problems.add_frame(both.filter(pl.col(f"_bad_{col.name}")).select(
            pl.col(ROW).alias("row"), pl.lit(col.name).alias("column"), pl.col("_raw").alias("value"),
            pl.lit(f"type_{col.type}").alias("check"), pl.lit(REASONS[col.type]).alias("reason"),
        ))


def _report_countries(both: pl.DataFrame, col: Column, problems: ProblemList) -> None:
    bad = both.filter(pl.col(f"_bad_{col.name}")).select(ROW, "_raw", pl.col(f"_kind_{col.name}").alias("_kind"))
    if not bad.height:
        return
    reasons: dict[tuple[str, str | None], str] = {}
    for value, kind in bad.select("_raw", "_kind").unique().iter_rows():
        if kind is not None:
            kinds = ("country", *col.groups)
            allowed = ", ".join(kinds[:-1]) + f" or {kinds[-1]}" if len(kinds) > 1 else kinds[0]
            article = "an" if kind[0] in "aeiou" else "a"
            name = countries.name_of(value)
            named = f" ({name})" if name and countries.key_of(name) != countries.key_of(value) else ""
            reasons[(value, kind)] = f"{value!r} is {article} {kind}{named}; {col.name} must be a {allowed}"
        else:
            hints = countries.suggest(value)
            hint = f" (did you mean {' or '.join(repr(h) for h in hints)}?)" if hints else ""
            reasons[(value, kind)] = f"unknown country or bloc{hint}"
    lookup = pl.DataFrame(
        [(v, k, r) for (v, k), r in reasons.items()], schema=["_raw", "_kind", "reason"], orient="row"
    ).cast({"_kind": pl.String})
    joined = bad.join(lookup, on=["_raw", "_kind"], how="left", nulls_equal=True)
    problems.add_frame(joined.select(
        pl.col(ROW).alias("row"), pl.lit(col.name).alias("column"), pl.col("_raw").alias("value"),
        pl.lit("country").alias("check"), pl.col("reason"),
    ))


def _apply_defaults(typed: pl.DataFrame, dataset: Dataset) -> pl.DataFrame:
    defaults = [
        pl.col(c.name).fill_null(pl.lit(c.default)) for c in dataset.columns if c.default is not None
    ]
    return typed.with_columns(defaults) if defaults else typed


def _convert_money(typed: pl.DataFrame, dataset: Dataset) -> pl.DataFrame:
    if not dataset.money:
        return typed
    for money in dataset.money:
        typed = convert_money(typed, money.amount, money.currency, money.rate_date)
    notes = [f"_note_{m.amount}" for m in dataset.money]
    note = pl.concat_str(notes, separator="; ", ignore_nulls=True)
    return typed.with_columns(pl.when(note != "").then(note).alias("conversion_note"))


def _derive_id(typed: pl.DataFrame, dataset: Dataset) -> pl.DataFrame:
    """Give rows without an id a stable one: the dataset name and an md5 of the row's values."""
    id_col = dataset.id_column
    if id_col is None:
        return typed
    content = pl.concat_str(
        [pl.col(c).cast(pl.String).fill_null("") for c in dataset.extract_columns if c != id_col], separator="\x1f"
    )
    con = duckdb.connect()
    try:
        con.register("row_content", typed.select(content.alias("k")).to_arrow())
        hashes = con.sql("select md5(k) as h from row_content").pl().get_column("h")
    finally:
        con.close()
    derived = pl.lit(f"{dataset.name}:") + pl.Series("h", hashes).str.slice(0, 16)
    return typed.with_columns(
        pl.col(id_col).is_null().alias(f"{id_col}_derived"),
        pl.coalesce(pl.col(id_col), derived).alias(id_col),
    )


def validate_rows(rows: pl.DataFrame | Path, texts: RowTexts, dataset: Dataset, problems: ProblemList, *,
                  today: date) -> list[CheckOutcome]:
    """Validate the normalised rows (or the folder holding them: :mod:`ingestion.row_parts`) with the dataset's
    suite; add what it finds to ``problems``."""
    from ingestion.validation.sql_engine import validate_frame

    unparsed = {(p.row, p.column) for p in problems.to_list() if p.row is not None}
    every = validate_frame(rows, dataset, today=today)
    outcomes = [o for o in every if not o.success]
    # a rule between columns is not reported again on a row where one of its columns is already wrong
    outcomes.sort(key=lambda o: bool(o.meta.get("uses")))
    for outcome in outcomes:
        uses = outcome.meta.get("uses", "").split(",") if outcome.meta.get("uses") else [outcome.column]
        for row, value, first_row in outcome.rows:
            if any((row, c) in unparsed for c in uses):
                continue  # already reported: the value did not parse, or broke a rule of its own
            unparsed.add((row, outcome.column))
            original = _original_text(texts, row, outcome.column)
            reason = outcome.reason.replace("{first_row}", str(first_row))
            if outcome.check == "text_length" and original is not None:
                reason = reason.replace("{length}", str(len(original)))
                original = original[:80] + "..."
            if outcome.check == "enum" and original is not None:
                hints = suggest_enum(original, tuple(outcome.meta["suggest_from"].split(",")))
                if hints:
                    reason += f" (did you mean {' or '.join(repr(h) for h in hints)}?)"
            problems.add(reason, check=outcome.check, row=row, column=outcome.column,
                         value=original if original is not None else (None if value is None else str(value)))
        hidden = outcome.unexpected_count - len(outcome.rows)
        if hidden > 0:
            problems.add(f"{outcome.reason.replace('{first_row}', 'an earlier row')} "
                         f"(and {hidden} more rows not listed)", check=outcome.check, column=outcome.column)
    return every


def _original_text(texts: RowTexts, row: int | None, column: str) -> str | None:
    if row is None or column not in texts.columns:
        return None
    value = texts.get_column(column)[row - 1]
    return value
