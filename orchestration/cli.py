"""``pledgewatch``: refresh, ingest, pull, query, export, report, status and ui for one warehouse home.

Exit codes: 0 success, 1 data rejected or a check failed, 2 usage error (for ``query`` and
``export`` also: no warehouse yet, or the output cannot be written), 3 warehouse busy,
4 a release could not be fetched (``pull``).
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import os
import shutil
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ingestion.datasets import DATASETS
from ingestion.home import REPO_DATA, Home
from ingestion.problems import escape_formula

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_BUSY, EXIT_FETCH = 0, 1, 2, 3, 4
#: A command that could not do its work (the message says why and what to do); 130 when interrupted.
EXIT_FAILED, EXIT_INTERRUPTED = 1, 130
#: ``query --format table`` cuts longer values (marked …) unless ``--max-width`` says otherwise
DEFAULT_MAX_WIDTH = 60


class UsageError(Exception):
    """The command line cannot be carried out as given."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pledgewatch",
        description="Sanctions and pledge tracking warehouse: load extracts, rebuild the marts, query them.",
    )
    parser.add_argument("--home", help="warehouse home (default: $PLEDGEWATCH_HOME, else the repo's data/)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    refresh = sub.add_parser("refresh", help="load what changed under <home>/raw/, rebuild what depends on it, "
                             "run its checks (nothing changed: nothing to do)")
    refresh.add_argument("--full", action="store_true",
                         help="load every file and rebuild every model with dbt, whatever changed")
    sub.add_parser("docs", help="validate the loaded rows with Great Expectations and build its Data Docs site")

    ingest = sub.add_parser("ingest", help="validate files, store accepted ones under raw/, load and rebuild")
    ingest.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _file_options(ingest)

    validate = sub.add_parser("validate", help="check files as ingest would, without loading or storing anything")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _file_options(validate)

    pull = sub.add_parser("pull", help="fetch a publisher's release and ingest it when its content is new")
    pull.add_argument("source", metavar="SOURCE", nargs="?", help="publisher format (see `pledgewatch sources`)")
    pull.add_argument("--all", action="store_true",
                      help="every source with a publisher URL (or $PLEDGEWATCH_SOURCE_URL_<SOURCE>), in one run")
    pull.add_argument("--from", dest="origin", metavar="URL_OR_PATH",
                      help="where to fetch the release (default: the source's configured or publisher URL)")
    _source_options(pull)

    sub.add_parser("sources", help="publisher formats: dataset, publisher, URL, last pull, current release")

    query = sub.add_parser("query", help="run SQL on a read-only connection to the warehouse")
    query.add_argument("sql")
    query.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table")
    query.add_argument("--out", type=Path, metavar="PATH",
                       help="write the result to PATH instead of the terminal (required for xlsx: one sheet)")
    query.add_argument("--max-width", dest="max_width", type=_width, default=DEFAULT_MAX_WIDTH, metavar="N",
                       help=f"--format table: cut values longer than N characters, marked … "
                            f"(default {DEFAULT_MAX_WIDTH}; 0: never cut)")
    query.add_argument("--memory-limit", dest="memory_limit", metavar="SIZE",
                       help="stop the query when it needs more memory, e.g. 2GB, 500MB or 25%% "
                            "(default: $PLEDGEWATCH_QUERY_MEMORY_LIMIT, else half the machine's memory)")
    query.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                       help="stop the query when it runs longer (default: $PLEDGEWATCH_QUERY_TIMEOUT, else 300; "
                            "0: no limit)")

    export = sub.add_parser("export", help="write every mart, its definitions and sources to a workbook "
                                           "(or a folder of CSV or Parquet files)")
    export.add_argument("--format", choices=("xlsx", "csv", "parquet"), default="xlsx")
    export.add_argument("--out", type=Path, metavar="PATH",
                        help="where to write (default: <home>/exports/pledgewatch_<UTC time>.xlsx, "
                             "or a folder of that name for csv and parquet)")

    sub.add_parser("status", help="files loaded per dataset, rejected files, last run and its checks")
    report = sub.add_parser("report", help="write a self-contained HTML report of the charts (opens offline)")
    report.add_argument("--out", type=Path, metavar="DIR", help="folder to write report.html to "
                                                                "(default: <home>/reports/)")
    ui = sub.add_parser("ui", help="start the Dagster UI (dagster dev) on this home")
    ui.add_argument("--port", type=int, default=3000)
    return parser


def _source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", dest="as_of", type=_iso_date, metavar="DATE",
                        help="date of a publisher release (YYYY-MM-DD); the latest as-of release is current")
    parser.add_argument("--importer", metavar="COUNTRY",
                        help="importing country of a file that does not name it (crea-shipments)")
    parser.add_argument("--release", metavar="NAME",
                        help="the publisher's own name or number of the release (Kiel: 29); pull reads it from the "
                             "publisher's release file where there is one")
    parser.add_argument("--strict", action="store_true",
                        help="reject a publisher file if any of its rows would be skipped")


def _file_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", choices=sorted(DATASETS),
                        help="dataset of the files (default: a publisher format recognised from the header, "
                             "else the folder name)")
    parser.add_argument("--source", metavar="NAME", help="publisher format of the files (see `pledgewatch sources`)")
    _source_options(parser)


def _width(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a width (0 or more characters): {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1
    if not seconds >= 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds (0: no limit): {text!r}")
    return seconds


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pledgewatch`` console script; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    home = Home.resolve(args.home)
    handlers = {"refresh": cmd_refresh, "ingest": cmd_ingest, "validate": cmd_validate, "query": cmd_query,
                "status": cmd_status, "ui": cmd_ui, "pull": cmd_pull, "sources": cmd_sources, "docs": cmd_docs,
                "export": cmd_export, "report": cmd_report}
    from ingestion.ingest_order import IngestOrderError
    from ingestion.warehouse import WarehouseBusy, WarehouseMissing, discard_leftovers
    from ingestion.warehouse_damage import WarehouseDamaged
    from orchestration.failures import disk_full, disk_full_message, unexpected_failure

    if args.command in ("refresh", "ingest", "pull") and (refused := _engine_refused()):
        print(f"pledgewatch: error: {refused}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return handlers[args.command](home, args)
    except UsageError as exc:
        print(f"pledgewatch: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WarehouseMissing as exc:
        print(f"pledgewatch: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WarehouseBusy as exc:
        print(f"pledgewatch: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except (WarehouseDamaged, IngestOrderError) as exc:
        print(f"pledgewatch: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        discard_leftovers(home)
        print(f"pledgewatch: interrupted; nothing was published ({home.warehouse} is as it was)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`pledgewatch sources | head`): not a failure of ours
        discard_leftovers(home)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # the last line of defence: a sentence, the traceback in a log file
        if disk_full(home, exc):
            discard_leftovers(home)
            print(f"pledgewatch: {disk_full_message(home)}", file=sys.stderr)
        else:
            print(f"pledgewatch: {unexpected_failure(home, args.command, exc)}", file=sys.stderr)
        return EXIT_FAILED


def _engine_refused() -> str | None:
    """Why the engine ``PLEDGEWATCH_ENGINE`` names cannot build the models here (before anything is loaded)."""
    from orchestration.engines import engine, spark_unavailable

    try:
        chosen = engine()
    except ValueError as exc:
        return str(exc)
    if chosen == "spark" and (reason := spark_unavailable()):
        return f"PLEDGEWATCH_ENGINE=spark, but {reason} (unset it to build on DuckDB alone)"
    return None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- refresh / ingest ---------------------------------------------------------------------------


def cmd_refresh(home: Home, args: argparse.Namespace) -> int:
    """Load what changed under raw/, rebuild what depends on it, check, publish; nothing changed: nothing to do."""
    from orchestration.planning import plan_for
    from orchestration.reporting.warehouse_state import rejected_files

    planned = plan_for(home, full=getattr(args, "full", False))
    plan = planned.plan
    if not planned.damaged:
        _repair_ingest_order(home)
    if plan.kind == "nothing":
        rejected = [(f, n) for f, n, _ in rejected_files(home) if (home.root / f).exists()]
        print(f"nothing changed: {home.warehouse} is up to date with raw/, the reference data and the dbt project")
        _write_stale_report(home)
        for source_file, count in rejected:
            print(f"still REJECTED  {source_file}: {count} problem(s); fix it (`pledgewatch validate` shows them)")
        return EXIT_REJECTED if rejected else EXIT_OK
    from orchestration.runner import run_job

    for reason in plan.reasons[:20]:
        _say(f"  {reason}")
    if planned.damaged:
        _set_damaged_aside(home, planned.damaged)
    scope = "reloading " + ", ".join(sorted(plan.datasets)) if plan.kind == "data" else {
        "full": "refreshing everything", "rebuild": "rebuilding the warehouse from raw/"}[plan.kind]
    _say(f"{scope} in {home.root} ...")
    outcome = run_job(home, datasets=sorted(plan.datasets) if plan.kind == "data" else None,
                      rebuild=plan.kind == "rebuild", with_dbt=getattr(args, "full", False), command="refresh",
                      say=_say)
    code = _report_run(home, outcome)
    if outcome.published and outcome.loaded_anything:
        _build_docs(home)
    return code


def _write_stale_report(home: Home) -> None:
    """With nothing to refresh, write the report where a run would have (a home built before runs wrote it has
    none, or an older one); a failure is a warning, as after a run."""
    from orchestration.reporting.report import REPORT_NAME

    path = home.reports / REPORT_NAME
    if not home.warehouse.exists():
        return
    if path.exists() and path.stat().st_mtime >= home.warehouse.stat().st_mtime:
        print(f"report    {path}")
        return
    from orchestration.reporting.report import write_report

    try:
        built = write_report(home)
    except Exception as exc:  # the warehouse is as it was: the report is what failed
        print(f"WARNING   the report could not be written ({type(exc).__name__}: {exc}); `pledgewatch report` "
              "tries again")
        return
    print(f"report    {built.path} ({built.size_bytes / 1e6:.2f} MB, built in {built.seconds:.1f} s): written now, "
          "it was missing or older than the warehouse")


def _repair_ingest_order(home: Home) -> None:
    """Restore what ``raw/ingest_order.csv`` lost from the warehouse (under the write lock), loudly."""
    from ingestion.warehouse import acquire_write_lock, release_write_lock
    from orchestration.planning import repair_ingest_order

    if not repair_ingest_order(home, write=False):
        return  # the usual case: nothing to put right, no lock needed
    acquire_write_lock(home, notify=_say, command="pledgewatch refresh")
    try:
        for warning in repair_ingest_order(home):
            print(f"WARNING   {warning}")
    finally:
        release_write_lock(home)


def _set_damaged_aside(home: Home, reason: str) -> None:
    """Keep a warehouse that cannot be read as ``warehouse.duckdb.damaged-<time>`` (it is rebuilt from raw/)."""
    from ingestion.warehouse import acquire_write_lock, release_write_lock
    from ingestion.warehouse_damage import set_aside

    acquire_write_lock(home, notify=_say, command="pledgewatch refresh")
    try:
        if home.warehouse.exists():
            aside = set_aside(home)
            _say(f"the warehouse could not be read ({reason}); it is derived data: kept aside as {aside.name} "
                 f"and rebuilt from raw/")
    finally:
        release_write_lock(home)


def _build_docs(home: Home) -> None:
    """Rebuild the Data Docs after a run that loaded files; a failure is a warning (the docs are a report)."""
    from ingestion.validation.docs import build_docs

    try:
        build_docs(home, say=_say)
    except Exception as exc:  # a report must not fail the run that loaded the data
        _say(f"warning: could not build the Data Docs site ({exc}); `pledgewatch docs` tries again")


def cmd_docs(home: Home, args: argparse.Namespace) -> int:
    """Validate the loaded rows with Great Expectations and build its Data Docs site."""
    from ingestion.validation.docs import build_docs
    from ingestion.warehouse import WarehouseMissing

    if not home.warehouse.exists():
        raise WarehouseMissing(f"no warehouse at {home.warehouse}: build it with `pledgewatch refresh` (or `make run`)")
    disagreements = build_docs(home, say=_say)
    print(f"data docs: {home.docs_index}")
    return EXIT_REJECTED if disagreements else EXIT_OK


def dataset_of(path: Path, explicit: str | None) -> str:
    """The dataset an extract belongs to: ``--dataset``, else the name of its folder."""
    if explicit:
        return explicit
    folder = path.resolve().parent.name
    if folder in DATASETS:
        return folder
    raise UsageError(
        f"cannot tell the dataset of {path}: its folder {folder!r} is not a dataset name; "
        f"pass --dataset with one of {', '.join(DATASETS)}"
    )


def classify(files: list[Path], args: argparse.Namespace) -> dict[str, list[Any]]:
    """The files to ingest by dataset, each an extract or a publisher's file as the command line and its header say.

    Precedence (SOURCES.md): ``--source`` or ``--dataset``, then a publisher format recognised
    from the header, then the dataset named by the file's folder.
    """
    from ingestion.sources import closest, get_source, recognise, sniff
    from ingestion.sources.base import SourceOptions, date_in_name
    from ingestion.sync import Incoming

    if args.source and args.dataset:
        raise UsageError("give --source or --dataset, not both")
    if args.source:
        try:
            get_source(args.source)
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
    incoming: dict[str, list[Incoming]] = {}
    extracts: list[Path] = []
    for path in files:
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        fmt = get_source(args.source) if args.source else None
        if fmt is None and not args.dataset:
            header = _header(path)
            fmt = (recognise(header) if header is not None else None) or sniff(path)
            if fmt is None and path.resolve().parent.name not in DATASETS:
                hint = ""
                near = closest(header or [])
                if near is not None:
                    hint = f" (closest format: {near[0].name}, which also needs column(s) {', '.join(near[1])})"
                raise UsageError(
                    f"cannot tell what {path} is: its header matches no publisher format{hint} and its folder "
                    f"{path.resolve().parent.name!r} is not a dataset; pass --source NAME or --dataset NAME"
                )
        if fmt is not None:
            uses_importer = "importer" in (*fmt.requires, *fmt.release_key)
            as_of = args.as_of or (date_in_name(path.name) if fmt.needs_as_of else None)
            mapped_with = SourceOptions(as_of=as_of, importer=args.importer if uses_importer else None,
                                        release=args.release)
            incoming.setdefault(fmt.dataset, []).append(Incoming(path.resolve(), fmt.name, mapped_with, args.strict))
        else:
            extracts.append(path.resolve())
            incoming.setdefault(dataset_of(path, args.dataset), []).append(Incoming(path.resolve()))
    if extracts and (args.as_of or args.importer or args.strict or args.release):
        raise UsageError("--as-of, --importer, --release and --strict apply to publisher files only "
                         f"(given with extract file(s): {', '.join(str(p) for p in extracts)})")
    return incoming


def _header(path: Path) -> list[str] | None:
    """The column names of a file (None if it cannot be read: the validation says why)."""
    from ingestion.readers import UnreadableFile, read_header

    try:
        return read_header(path)
    except (UnreadableFile, OSError):
        return None


def _print_problems(prepared) -> None:
    print(f"REJECTED  {prepared.path}: {len(prepared.problems)} problem(s); nothing of it was loaded")
    for problem in prepared.problems:
        print(f"  {problem.as_text()}")


def _print_mapping(prepared) -> None:
    """What a publisher file maps to: rows per table, skipped rows, the format's counts."""
    parts = [f"{prepared.row_count} {prepared.dataset.name}"]
    parts += [f"{frame.height} {name}" for name, frame in prepared.side.items()]
    print(f"mapped    {prepared.path} as {prepared.source}: {', '.join(parts)}; "
          f"{len(prepared.skipped)} row(s) skipped")
    for key, value in sorted(prepared.counts.items()):
        print(f"  {key.replace('_', ' ')}: {value}")


def check_files(incoming: dict[str, list[Any]], spill: Path, *, keep_bytes: bool = False) -> list:
    """Validate every file as ingest would: extracts whole, publisher files mapped with their options. A big
    extract's rows are written to a Parquet file in ``spill`` as they are parsed, not held in memory;
    ``keep_bytes``: each extract is also copied there as it is hashed, for the run to store (ingest)."""
    from ingestion.datasets import get_dataset
    from ingestion.prepare import prepare_file
    from ingestion.prepare_source import prepare_source

    return [
        prepare_file(item.path, get_dataset(dataset), name=str(item.path), spill=spill, keep_bytes=keep_bytes)
        if item.source is None
        else prepare_source(item.path, item.source, item.options, name=str(item.path), strict=item.strict)
        for dataset, items in incoming.items() for item in items
    ]


def cmd_ingest(home: Home, args: argparse.Namespace) -> int:
    """Validate files; store and load the accepted ones and rebuild, as a Dagster run."""
    return ingest_files(home, classify(args.files, args))


def ingest_files(home: Home, incoming: dict[str, list[Any]], *, command: str = "ingest",
                 pulled_from: dict[Path, str] | None = None) -> int:
    """Validate, then store, load and rebuild what was accepted; print what happened.

    ``pulled_from``: publisher files fetched by ``pull``, with where from; each is compared with the
    current release it would replace (far fewer rows: a warning, or with ``--strict`` a rejection).
    """
    from ingestion import prepared_store
    from ingestion.warehouse import acquire_write_lock, release_write_lock
    from ingestion.warehouse_damage import damage, damaged_message
    from orchestration.runner import prepare_environment, record_rejected_files, run_job

    prepare_environment(home)
    count = sum(len(v) for v in incoming.values())
    _say(f"validating {count} file(s) for {home.root} ...")
    acquire_write_lock(home, notify=_say, command="pledgewatch ingest")
    try:
        damaged = damage(home)
        if damaged is None:
            _repair_ingest_order(home)
        checked = check_files(incoming, spill=home.prepared, keep_bytes=True)
        strict = {item.path: item.strict for items in incoming.values() for item in items}
        for prepared in checked:
            location = (pulled_from or {}).get(prepared.path)
            if location is not None and prepared.is_release and prepared.accepted:
                _compare_with_current_release(home, prepared, location, strict=strict.get(prepared.path, False))
        for prepared in checked:
            if prepared.is_release and prepared.accepted:
                _print_mapping(prepared)
        if not any(p.accepted for p in checked):
            if damaged is None:
                record_rejected_files(home, checked, say=_say)
            else:  # nothing to load: the rejection is reported, the damaged warehouse left for refresh
                _say(damaged_message(home, damaged))
            for prepared in checked:
                _print_problems(prepared)
            print(f"{len(checked)} file(s) rejected: fix them and run the command again "
                  f"(reports under {home.quarantine})")
            return EXIT_REJECTED
        if damaged is None and _already_loaded(home, checked):
            for prepared in checked:
                print(f"unchanged {prepared.path}: these bytes are loaded already (same file, same options)")
            print(f"nothing changed: {home.warehouse} is up to date")
            return EXIT_OK
        for prepared in checked:  # handed to the run: it loads them without validating them again
            prepared_store.save(home.prepared, prepared, strict=strict.get(prepared.path, False))
        checked.clear()  # written: the run reads the rows from there, this process need not hold a copy
        del prepared
        if damaged is not None:
            _set_damaged_aside(home, damaged)
        _say(f"ingesting into {home.root} ...")
        outcome = run_job(home, incoming=incoming, datasets=None if damaged else sorted(incoming),
                          rebuild=damaged is not None, command=command, say=_say)
    finally:
        prepared_store.clear(home.prepared)  # what a rejected or unchanged file left there
        release_write_lock(home)
    return _report_run(home, outcome)


def _already_loaded(home: Home, checked: list[Any]) -> bool:
    """True when every file is accepted, stored already with these bytes (and options) and loaded, and
    nothing else under ``raw/`` or in the project changed: a run would change nothing."""
    from ingestion.source_store import read_manifest
    from ingestion.store import stored_as, stored_path
    from orchestration.planning import plan_for
    from orchestration.reporting.warehouse_state import registered_sha256

    registered = registered_sha256(home)
    for prepared in checked:
        if not prepared.accepted or registered.get(stored_as(home, prepared)) != prepared.sha256:
            return False
        if prepared.is_release:
            recorded = read_manifest(home, prepared.source).get(stored_path(home, prepared).name)
            if recorded is None or type(prepared.options).from_stored(recorded).as_dict() != prepared.options.as_dict():
                return False
    return plan_for(home).plan.kind == "nothing"


def _compare_with_current_release(home: Home, prepared: Any, location: str, *, strict: bool) -> None:
    """Warn when a pulled release has far fewer rows than the current one; with ``--strict``, reject it."""
    from ingestion.problems import Problem
    from ingestion.release_size import shrunken_release

    shrunk = shrunken_release(home, prepared)
    if shrunk is None:
        return
    if strict:
        prepared.refuse(Problem(str(prepared.path), None, None, None, "release_size",
                                f"{shrunk.describe(location)}; refused (--strict): nothing was loaded. "
                                "Check the publisher's release and pull again when it is whole "
                                "(without --strict to accept it as it is)."))
        return
    _say(f"warning: {shrunk.describe(location)}; it replaces the current release all the same. "
         "If it is incomplete, pull again when it is whole (--strict refuses such a release).")


def cmd_validate(home: Home, args: argparse.Namespace) -> int:
    """Check files as ingest would; load, store and change nothing (a big file's rows go to a temporary folder
    while it is checked)."""
    import tempfile

    invalid = 0
    with tempfile.TemporaryDirectory(prefix="pledgewatch-validate-") as spill:
        for prepared in check_files(classify(args.files, args), spill=Path(spill)):
            if not prepared.accepted:
                invalid += 1
                _print_problems(prepared)
            elif prepared.is_release:
                _print_mapping(prepared)
                _print_skipped(prepared.skipped)
            else:
                print(f"valid     {prepared.path}: {prepared.row_count} rows of {prepared.dataset.name}")
    if invalid:
        print(f"{invalid} file(s) invalid")
        return EXIT_REJECTED
    return EXIT_OK


#: Skipped rows listed one by one up to this many; more are summarised by column and check.
SKIPPED_LISTED = 10


def _print_skipped(skipped: list, every_row: Path | None = None) -> None:
    """The rows a publisher file could not give: each one, or (many) a line per column and check with an example."""
    if len(skipped) <= SKIPPED_LISTED:
        for problem in skipped:
            print(f"  skipped {problem.as_text()}")
        return
    groups: dict[tuple, list] = {}
    for problem in skipped:
        groups.setdefault((problem.column, problem.check), []).append(problem)
    for problems in sorted(groups.values(), key=len, reverse=True):
        first = problems[0]
        print(f"  skipped {len(problems):,} row(s), e.g. {first.as_text()}")
    if every_row is not None:
        print(f"  every skipped row: {every_row}")


def _issues_log(home: Home, run_id: str) -> Path:
    from orchestration.runner import issues_log

    return issues_log(home, run_id)


def _report_run(home: Home, outcome) -> int:
    """Print what a run did; the exit code follows from it."""
    for warning in outcome.warnings:
        print(f"WARNING   {warning}")
    for f in outcome.files:
        if f.outcome == "loaded":
            skipped = f" ({len(f.problems)} row(s) skipped)" if f.problems else ""
            print(f"loaded    {f.source_file}: {f.row_count} rows{skipped}")
            _print_skipped(f.problems, every_row=_issues_log(home, outcome.run_id))
        elif f.outcome == "removed":
            print(f"removed   {f.source_file}: its rows are gone (file no longer under raw/)")
    for f in outcome.rejected:
        print(f"REJECTED  {f.source_file}: {len(f.problems)} problem(s); nothing of it was loaded")
        for problem in f.problems:
            print(f"  {problem.as_text()}")
    if outcome.published:
        print(_summary(home))
        print(_report_line(home, outcome))
    if outcome.spark_marts:
        print(f"marts built on Spark too (PLEDGEWATCH_ENGINE=spark), as Parquet: {outcome.spark_marts}")
    if outcome.checks_failed:
        print(f"checks failed: {', '.join(outcome.checks_failed)}")
    if not outcome.success:
        from orchestration.failures import disk_full, disk_full_message

        if disk_full(home, outcome.error):
            print(f"run {outcome.run_id[:8]} FAILED: {disk_full_message(home)}")
            return EXIT_FAILED
        print(f"run {outcome.run_id[:8]} FAILED: {outcome.error}")
        left = ("the warehouse was published (a step after it failed)" if outcome.published
                else "the published warehouse was left as it was")
        print(f"{left}; the details are in "
              f"{home.runs / outcome.run_id / 'error.txt'}; fix the cause and run `pledgewatch refresh` again")
        return EXIT_FAILED
    if outcome.report_error:  # Dagster marks the run failed, for its report step: say what did succeed
        print(f"run {outcome.run_id[:8]} loaded and published: {outcome.checks_passed} checks passed; "
              "its report step failed (above)")
    else:
        print(f"run {outcome.run_id[:8]} succeeded: {outcome.checks_passed} checks passed")
    if outcome.rejected:
        print(f"{len(outcome.rejected)} file(s) rejected: fix them and run the command again")
        return EXIT_REJECTED
    return EXIT_OK


def _report_line(home: Home, outcome) -> str:
    """Where the run's report is, or why it is not there: it is written after the publish, which it never undoes."""
    if outcome.report:
        report = outcome.report
        return (f"report    {report['path']} ({report['size_bytes'] / 1e6:.2f} MB, "
                f"built in {report['seconds']:.1f} s): open it in a browser, offline")
    if outcome.report_error:
        return (f"WARNING   the report could not be written ({outcome.report_error}); the warehouse is published "
                f"all the same. The details are in {home.runs / outcome.run_id / 'error.txt'}; "
                "`pledgewatch report` tries again")
    return f"report    not written by this run: `pledgewatch report` writes {home.root / 'reports' / 'report.html'}"


def _summary(home: Home) -> str:
    from orchestration.reporting.warehouse_state import table_counts

    counts = table_counts(home)
    lines = [f"warehouse {home.warehouse}"]
    lines += [f"  {name:<40} {n:>10,} rows" for name, n in counts.items()]
    marts = sum(1 for name in counts if name.startswith("marts."))
    lines.append(f"  {marts} marts built")
    return "\n".join(lines)


# -- pull / sources -----------------------------------------------------------------------------


def cmd_pull(home: Home, args: argparse.Namespace) -> int:
    """Fetch a source's release (or every source's, ``--all``); ingest what is new, in one run."""
    from ingestion.fetch import download_folder, log_pull, release_location, url_variable
    from ingestion.pull import pull_release
    from ingestion.sources import get_source, source_formats
    from ingestion.sync import Incoming

    if args.all:
        if args.source or args.origin or args.importer or args.release or args.as_of:
            raise UsageError("--all pulls every source from its own URL: give no SOURCE, --from, --importer, "
                             "--release or --as-of with it")
        formats = [fmt for fmt in source_formats().values() if release_location(fmt) is not None]
    elif args.source is None:
        raise UsageError("name the SOURCE to pull (see `pledgewatch sources`), or pass --all")
    else:
        try:
            formats = [get_source(args.source)]
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
        if release_location(formats[0], args.origin) is None:
            raise UsageError(f"{args.source} has no publisher URL to pull from: pass --from URL_OR_PATH "
                             f"(or set {url_variable(args.source)})")
    folder = download_folder(home)
    try:
        pulled = []
        for fmt in formats:
            _say(f"fetching {fmt.name} from {release_location(fmt, args.origin)} ...")
            pulled.append(pull_release(home, fmt, folder / fmt.name, origin=args.origin, as_of=args.as_of,
                                       importer=args.importer, release=args.release))
        failed = [p for p in pulled if p.outcome == "failed"]
        for p in failed:
            which = f"{p.fmt.name}: " if args.all else ""  # with --all, one line per source says which
            print(f"pledgewatch: {which}{p.error}; nothing was stored. {p.error.advice}", file=sys.stderr)
        for p in pulled:
            if p.outcome == "unchanged":
                print(f"unchanged {p.fmt.name}: the release is identical to {p.same}; nothing to do")
        new = [p for p in pulled if p.outcome == "new"]
        code = EXIT_OK
        if new:
            incoming: dict[str, list[Any]] = {}
            for p in new:
                incoming.setdefault(p.fmt.dataset, []).append(Incoming(p.path, p.fmt.name, p.options, args.strict))
            code = ingest_files(home, incoming, command="pull", pulled_from={p.path: p.location for p in new})
            for p in new:
                log_pull(home, p.fmt.name, p.location, "ingested" if code == EXIT_OK else f"rejected (exit {code})",
                         p.sha256)
        if failed:
            if args.all:
                print(f"{len(failed)} of {len(formats)} source(s) could not be fetched"
                      f"{'; the others were pulled' if len(failed) < len(formats) else ''}", file=sys.stderr)
            return EXIT_FETCH
        return code
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def cmd_sources(home: Home, args: argparse.Namespace) -> int:
    """Each publisher format: dataset, publisher, URL, last pull, current release."""
    from ingestion.fetch import last_pull, release_location, url_variable
    from ingestion.sources import source_formats
    from orchestration.reporting.warehouse_state import current_releases

    current = current_releases(home)
    for fmt in source_formats().values():
        location = release_location(fmt)
        configured = " (from " + url_variable(fmt.name) + ")" if location and location != fmt.default_url else ""
        print(f"{fmt.name}")
        print(f"  dataset:    {fmt.dataset}")
        print(f"  publisher:  {fmt.publisher}")
        print(f"  url:        {location or '(none: pull needs --from)'}{configured}")
        if fmt.requires:
            print(f"  requires:   {', '.join('--' + r.replace('_', '-') for r in fmt.requires)}")
        pull = last_pull(home, fmt.name)
        print(f"  last pull:  {pull['at'] + ' ' + pull['outcome'] if pull else 'never'}")
        releases = current.get(fmt.name, [])
        if not releases:
            print("  current:    (no release loaded)")
        for r in releases:
            label = f"{r.release_key}: " if r.release_key else ""
            print(f"  current:    {label}{r.source_file}  {r.rows} rows, {r.rows_skipped} skipped, "
                  f"loaded {r.loaded_at:%Y-%m-%d %H:%M:%S} ({r.releases} release(s) stored)")
    return EXIT_OK


# -- query --------------------------------------------------------------------------------------


def cmd_query(home: Home, args: argparse.Namespace) -> int:
    """Run read-only SQL within its memory and time limits and print the result (or write it to ``--out``)."""
    import duckdb

    from ingestion.query_limits import QueryLimits, QueryStopped, run_query
    from ingestion.warehouse import connect_readonly

    if args.format == "xlsx" and args.out is None:
        raise UsageError("--format xlsx writes a workbook, which is no use on a terminal: give --out PATH")
    try:
        limits = QueryLimits.resolve(args.memory_limit, args.timeout)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    con = connect_readonly(home, limits)
    try:
        columns, rows = run_query(con, args.sql, limits)
    except QueryStopped as exc:
        print(f"pledgewatch: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        if any(word in message.lower() for word in ("read-only", "external access", "lock", "permission error")):
            raise UsageError(f"query refused: the warehouse is read-only for queries ({message})") from None
        raise UsageError(f"query failed: {message}") from None
    finally:
        con.close()
    if columns is None:
        return EXIT_OK
    if args.format == "xlsx":
        return _query_to_xlsx(columns, rows, args.out)
    text = format_rows(columns, rows, args.format, max_width=args.max_width)
    if args.out is None:
        sys.stdout.write(text)
        return EXIT_OK
    from orchestration.reporting.export import ExportError, write_text

    try:
        write_text(args.out, text)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {args.out}: {len(rows):,} row(s) as {args.format}")
    return EXIT_OK


def _query_to_xlsx(columns: list[str], rows: list[tuple], out: Path) -> int:
    """The rows as the one sheet ``query`` of a workbook at ``out``."""
    from orchestration.reporting.export import ExportError, query_workbook

    try:
        written = query_workbook(out, columns, rows)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {out}: sheet {', '.join(written.sheets)} with {written.rows:,} row(s)")
    for note in written.notes("query"):
        print(f"  note: {note}")
    return EXIT_OK


def format_rows(columns: list[str], rows: list[tuple], fmt: str, *, max_width: int = DEFAULT_MAX_WIDTH) -> str:
    """Rows as an aligned table (values over ``max_width`` characters cut and marked …; 0: never), CSV or JSON."""
    if fmt == "json":
        return json.dumps([dict(zip(columns, r, strict=True)) for r in rows], default=str, indent=1) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([escape_formula(v) if isinstance(v, str) else ("" if v is None else v) for v in r])
        return out.getvalue()
    cells = [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    if max_width:
        widths = [min(w, max_width) for w in widths]
    cut = False

    def fit(value: str, width: int) -> str:
        nonlocal cut
        if len(value) <= width:
            return value.ljust(width)
        cut = True
        return value[: width - 1] + "…"

    out = ["  ".join(fit(c, w) for c, w in zip(columns, widths, strict=True)),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(fit(v, w) for v, w in zip(row, widths, strict=True)) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    if cut:
        out.append(f"values cut at {max_width} characters are marked …; use --format csv or json "
                   "(or --max-width N) to see them whole")
    return "\n".join(out) + "\n"


# -- export -------------------------------------------------------------------------------------


def cmd_export(home: Home, args: argparse.Namespace) -> int:
    """Write every mart, its definitions and its sources; print where, and the rows of each."""
    from ingestion.warehouse import connect_readonly
    from orchestration.reporting.export import ExportError, default_out, export

    out = (args.out or default_out(home, args.format)).expanduser().absolute()
    con = connect_readonly(home)
    try:
        _say(f"exporting {home.warehouse} to {out} ...")
        result = export(con, args.format, out)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    finally:
        con.close()
    print(result.summary())
    return EXIT_OK


# -- status -------------------------------------------------------------------------------------


def cmd_status(home: Home, args: argparse.Namespace) -> int:
    """Files loaded, rejected files, last run and its checks."""
    from ingestion.warehouse import WarehouseMissing
    from orchestration.reporting.warehouse_state import dataset_counts, loaded_files, rejected_files
    from orchestration.runner import latest_run

    print(f"home: {home.root}")
    if not home.warehouse.exists():
        raise WarehouseMissing(f"no warehouse at {home.warehouse}: build it with `pledgewatch refresh` (or `make run`)")
    files, rejected, counts = loaded_files(home), rejected_files(home), dataset_counts(home)
    print("datasets (rows in the warehouse; a publisher file can fill several):")
    for dataset, count in counts:
        print(f"  {dataset:<20} {count:>10,} rows")
    print("files loaded:")
    current = None
    for dataset, source_file, rows, sha, loaded_at in files:
        if dataset != current:
            print(f"  {dataset}")
            current = dataset
        print(f"    {source_file}  {rows} rows  sha256 {sha}  loaded {loaded_at:%Y-%m-%d %H:%M:%S}")
    if not files:
        print("  (none)")
    print("rejected files (latest attempt):")
    for source_file, count, when in rejected:
        print(f"  {source_file}: {count} problem(s) at {when:%Y-%m-%d %H:%M:%S}")
    if not rejected:
        print("  (none)")
    docs = home.docs_index
    if docs.exists():
        from datetime import datetime

        built = datetime.fromtimestamp(docs.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
        print(f"data docs: {docs} (built {built}; `pledgewatch docs` rebuilds them)")
    else:
        print("data docs: (none yet: run `pledgewatch docs`)")
    run = latest_run(home)
    if run:
        state = "succeeded" if run["success"] else "FAILED"
        print(f"last run: {run['run_id'][:8]} {state} at {run['finished_at']}; "
              f"checks passed {run['checks_passed']}, failed {len(run['checks_failed'])}")
        for name in run["checks_failed"]:
            print(f"  failed check: {name}")
    else:
        print("last run: none recorded")
    return EXIT_OK


# -- report -------------------------------------------------------------------------------------


def cmd_report(home: Home, args: argparse.Namespace) -> int:
    """Write the HTML report of the published warehouse; print its path, size and sections."""
    from orchestration.reporting.report import write_report

    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out must be a folder: {args.out} is a file")
    _say(f"building the report of {home.warehouse} ...")
    built = write_report(home, args.out)
    print(f"wrote     {built.path}")
    print(f"size      {built.size_bytes / 1e6:.2f} MB ({built.size_bytes:,} bytes), built in {built.seconds:.1f} s")
    print("sections:")
    for result in built.sections:
        state = f"{len(result.data.rows):,} rows" if result.has_chart else f"no chart: {result.empty_message}"
        print(f"  {result.section.key:<16} {result.section.title}: {state}")
    return EXIT_OK


# -- ui -----------------------------------------------------------------------------------------


def cmd_ui(home: Home, args: argparse.Namespace) -> int:
    """Start ``dagster dev`` on this home; CLI runs show in its history."""
    from orchestration.dbt_manifest import ensure_manifest
    from orchestration.runner import prepare_environment

    prepare_environment(home)
    ensure_manifest()
    dagster = shutil.which("dagster", path=str(Path(sys.executable).parent)) or shutil.which("dagster")
    if dagster is None:
        raise UsageError("the dagster command is not installed in this environment: run `make install`")
    argv = [dagster, "dev", "-m", "orchestration.definitions", "--port", str(args.port),
            "--working-directory", str(REPO_DATA.parent)]
    _say(f"starting the Dagster UI for {home.root} on http://127.0.0.1:{args.port} ...")
    os.execvpe(argv[0], argv, os.environ)
    return EXIT_OK  # not reached


#: Generation thresholds of the collector in a command's process (Python's default: 700, 10, 10).
GC_THRESHOLDS = (50_000, 20, 20)


def entry() -> None:
    """The ``pledgewatch`` console script: run, flush, and leave without the interpreter's final garbage
    collection (seconds after a run that imported Dagster and dbt; everything is written and closed by then).

    The cyclic garbage collector runs rarely: a run builds tens of thousands of long-lived objects (Dagster's
    definitions, pydantic and mashumaro classes) that each default-paced collection walks again, a tenth of a
    small ingest's time; the data itself lives in polars and DuckDB, outside Python's heap."""
    gc.set_threshold(*GC_THRESHOLDS)
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    from multiprocessing import util

    util._run_finalizers()  # semaphores a library made: released, so no "leaked semaphore" warning follows
    os._exit(code)


if __name__ == "__main__":
    entry()
