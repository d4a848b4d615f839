"""``pledgewatch``: refresh, ingest, query, status, report and ui for one warehouse home.

Exit codes: 0 success, 1 data rejected or a check failed, 2 usage error,
3 warehouse busy, 4 a release could not be fetched (``pull``).
"""

from __future__ import annotations

import argparse
import csv
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


class UsageError(Exception):
    """The command line cannot be carried out as given."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pledgewatch",
        description="Sanctions and pledge tracking warehouse: load extracts, rebuild the marts, query them.",
    )
    parser.add_argument("--home", help="warehouse home (default: $PLEDGEWATCH_HOME, else the repo's data/)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("refresh", help="load every file under <home>/raw/, rebuild the models, run all checks")

    ingest = sub.add_parser("ingest", help="validate files, store accepted ones under raw/, load and rebuild")
    ingest.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _file_options(ingest)

    validate = sub.add_parser("validate", help="check files as ingest would, without loading or storing anything")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _file_options(validate)

    pull = sub.add_parser("pull", help="fetch a publisher's release and ingest it when its content is new")
    pull.add_argument("source", metavar="SOURCE", help="publisher format (see `pledgewatch sources`)")
    pull.add_argument("--from", dest="origin", metavar="URL_OR_PATH",
                      help="where to fetch the release (default: the source's configured or publisher URL)")
    _source_options(pull)

    sub.add_parser("sources", help="publisher formats: dataset, publisher, URL, last pull, current release")

    query = sub.add_parser("query", help="run SQL on a read-only connection to the warehouse")
    query.add_argument("sql")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")

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
    parser.add_argument("--strict", action="store_true",
                        help="reject a publisher file if any of its rows would be skipped")


def _file_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", choices=sorted(DATASETS),
                        help="dataset of the files (default: a publisher format recognised from the header, "
                             "else the folder name)")
    parser.add_argument("--source", metavar="NAME", help="publisher format of the files (see `pledgewatch sources`)")
    _source_options(parser)


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
                "status": cmd_status, "ui": cmd_ui, "pull": cmd_pull, "sources": cmd_sources, "report": cmd_report}
    from ingestion.warehouse import WarehouseBusy, WarehouseMissing

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


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- refresh / ingest ---------------------------------------------------------------------------


def cmd_refresh(home: Home, args: argparse.Namespace) -> int:
    """Load everything under raw/, rebuild, check, publish."""
    from orchestration.runner import run_job

    _say(f"refreshing the warehouse in {home.root} ...")
    outcome = run_job(home, say=_say)
    return _report_run(home, outcome)


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


def classify(files: list[Path], args: argparse.Namespace) -> tuple[dict[str, list[Path]], dict[str, list[Any]]]:
    """Extracts by dataset and publisher files by dataset, as the command line and the files' headers say.

    Precedence (SOURCES.md): ``--source`` or ``--dataset``, then a publisher format recognised
    from the header, then the dataset named by the file's folder.
    """
    from ingestion.sources import closest, get_source, recognise, sniff
    from ingestion.sources.base import SourceOptions, date_in_name
    from ingestion.sync import IncomingSource

    if args.source and args.dataset:
        raise UsageError("give --source or --dataset, not both")
    if args.source:
        try:
            get_source(args.source)
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
    extracts: dict[str, list[Path]] = {}
    sources: dict[str, list[IncomingSource]] = {}
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
            mapped_with = SourceOptions(as_of=as_of, importer=args.importer if uses_importer else None)
            sources.setdefault(fmt.dataset, []).append(
                IncomingSource(path.resolve(), fmt.name, mapped_with, args.strict))
        else:
            extracts.setdefault(dataset_of(path, args.dataset), []).append(path.resolve())
    if extracts and (args.as_of or args.importer or args.strict):
        raise UsageError("--as-of, --importer and --strict apply to publisher files only "
                         f"(given with extract file(s): {', '.join(str(p) for ps in extracts.values() for p in ps)})")
    return extracts, sources


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
    parts = [f"{prepared.rows.height} {prepared.dataset.name}"]
    parts += [f"{frame.height} {name}" for name, frame in prepared.side.items()]
    print(f"mapped    {prepared.path} as {prepared.source}: {', '.join(parts)}; "
          f"{len(prepared.skipped)} row(s) skipped")
    for key, value in sorted(prepared.counts.items()):
        print(f"  {key.replace('_', ' ')}: {value}")


def check_files(home: Home, extracts: dict[str, list[Path]], sources: dict[str, list[Any]], gx_dir: Path) -> list:
    """Validate every file as ingest would: extracts whole, publisher files mapped with their options."""
    from ingestion.datasets import get_dataset
    from ingestion.prepare import prepare_file
    from ingestion.prepare_source import prepare_source

    checked = [
        prepare_file(path, get_dataset(name), name=str(path), gx_dir=gx_dir)
        for name, paths in extracts.items() for path in paths
    ]
    for items in sources.values():
        for item in items:
            checked.append(prepare_source(item.path, item.source, item.options, name=str(item.path), gx_dir=gx_dir,
                                          strict=item.strict))
    return checked


def cmd_ingest(home: Home, args: argparse.Namespace) -> int:
    """Validate files; store and load the accepted ones and rebuild, as a Dagster run."""
    extracts, sources = classify(args.files, args)
    return ingest_files(home, extracts, sources)


def ingest_files(home: Home, extracts: dict[str, list[Path]], sources: dict[str, list[Any]]) -> int:
    """Validate, then store, load and rebuild what was accepted; print what happened."""
    from ingestion.prepare_source import PreparedSource
    from ingestion.sync import remember_prepared
    from ingestion.warehouse import acquire_write_lock, release_write_lock
    from orchestration.runner import prepare_environment, record_rejected_files, run_job

    prepare_environment(home)
    count = sum(len(v) for v in extracts.values()) + sum(len(v) for v in sources.values())
    _say(f"validating {count} file(s) for {home.root} ...")
    acquire_write_lock(home, notify=_say, command="pledgewatch ingest")
    try:
        checked = check_files(home, extracts, sources, home.gx)
        for prepared in checked:
            if isinstance(prepared, PreparedSource) and prepared.accepted:
                _print_mapping(prepared)
        if not any(p.accepted for p in checked):
            record_rejected_files(home, checked, say=_say)
            for prepared in checked:
                _print_problems(prepared)
            print(f"{len(checked)} file(s) rejected: fix them and run the command again "
                  f"(reports under {home.quarantine})")
            return EXIT_REJECTED
        strict = {item.path: item.strict for items in sources.values() for item in items}
        for prepared in checked:
            remember_prepared(prepared, strict=strict.get(prepared.path, False))
        _say(f"ingesting into {home.root} ...")
        outcome = run_job(home, incoming=extracts, incoming_sources=sources,
                          datasets=sorted({*extracts, *sources}), say=_say)
    finally:
        release_write_lock(home)
    return _report_run(home, outcome)


def cmd_validate(home: Home, args: argparse.Namespace) -> int:
    """Check files as ingest would; load, store and change nothing."""
    import tempfile

    from ingestion.prepare_source import PreparedSource

    extracts, sources = classify(args.files, args)
    invalid = 0
    with tempfile.TemporaryDirectory(prefix="pledgewatch-validate-") as scratch:
        for prepared in check_files(home, extracts, sources, Path(scratch)):
            if not prepared.accepted:
                invalid += 1
                _print_problems(prepared)
            elif isinstance(prepared, PreparedSource):
                _print_mapping(prepared)
                _print_skipped(prepared.skipped)
            else:
                print(f"valid     {prepared.path}: {prepared.rows.height} rows of {prepared.dataset.name}")
    if invalid:
        print(f"{invalid} file(s) invalid")
        return EXIT_REJECTED
    return EXIT_OK


def _print_skipped(skipped: list) -> None:
    for problem in skipped:
        print(f"  skipped {problem.as_text()}")


def _report_run(home: Home, outcome) -> int:
    """Print what a run did; the exit code follows from it."""
    for f in outcome.files:
        if f.outcome == "loaded":
            skipped = f" ({len(f.problems)} row(s) skipped)" if f.problems else ""
            print(f"loaded    {f.source_file}: {f.row_count} rows{skipped}")
            _print_skipped(f.problems)
        elif f.outcome == "removed":
            print(f"removed   {f.source_file}: its rows are gone (file no longer under raw/)")
    for f in outcome.rejected:
        print(f"REJECTED  {f.source_file}: {len(f.problems)} problem(s); nothing of it was loaded")
        for problem in f.problems:
            print(f"  {problem.as_text()}")
    if outcome.published:
        print(_summary(home))
    if outcome.checks_failed:
        print(f"checks failed: {', '.join(outcome.checks_failed)}")
    if not outcome.success:
        print(f"run {outcome.run_id[:8]} FAILED: {outcome.error}")
        print("the published warehouse was left as it was; fix the cause and run `pledgewatch refresh` again")
        return EXIT_REJECTED
    print(f"run {outcome.run_id[:8]} succeeded: {outcome.checks_passed} checks passed")
    if outcome.rejected:
        print(f"{len(outcome.rejected)} file(s) rejected: fix them and run the command again")
        return EXIT_REJECTED
    return EXIT_OK


def _summary(home: Home) -> str:
    from ingestion.warehouse import connect_readonly

    con = connect_readonly(home)
    try:
        rows = con.execute(
            "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() "
            "WHERE schema_name IN ('raw', 'marts') ORDER BY schema_name, table_name"
        ).fetchall()
        counts = {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0] for s, t, _ in rows}
    finally:
        con.close()
    lines = [f"warehouse {home.warehouse}"]
    lines += [f"  {name:<40} {n:>10,} rows" for name, n in counts.items()]
    marts = sum(1 for name in counts if name.startswith("marts."))
    lines.append(f"  {marts} marts built")
    return "\n".join(lines)


# -- pull / sources -----------------------------------------------------------------------------


def cmd_pull(home: Home, args: argparse.Namespace) -> int:
    """Fetch a source's release; ingest it when its content is new."""
    from ingestion.fetch import FetchError, download_folder, fetch, log_pull, release_location, url_variable
    from ingestion.prepare import file_sha256
    from ingestion.source_store import identical_release
    from ingestion.sources import get_source
    from ingestion.sources.base import SourceOptions
    from ingestion.sync import IncomingSource

    try:
        fmt = get_source(args.source)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    location = release_location(fmt, args.origin)
    if location is None:
        raise UsageError(f"{fmt.name} has no publisher URL to pull from: pass --from URL_OR_PATH "
                         f"(or set {url_variable(fmt.name)})")
    # a list that carries no date is stamped with the day it was downloaded
    as_of = args.as_of or (date.today() if fmt.needs_as_of else None)
    options = SourceOptions(as_of=as_of, importer=args.importer)
    folder = download_folder(home)
    try:
        _say(f"fetching {fmt.name} from {location} ...")
        try:
            path = fetch(location, folder)
        except FetchError as exc:
            log_pull(home, fmt.name, location, f"failed: {exc}")
            print(f"pledgewatch: {exc}", file=sys.stderr)
            print("nothing was stored or loaded: the warehouse and raw/ are as they were; "
                  "check the address (or the network) and pull again", file=sys.stderr)
            return EXIT_FETCH
        sha = file_sha256(path)
        same = identical_release(home, fmt.name, sha, options.importer)
        if same is not None:
            log_pull(home, fmt.name, location, "unchanged", sha)
            print(f"unchanged {fmt.name}: the release is identical to {same}; nothing to do")
            return EXIT_OK
        code = ingest_files(home, {}, {fmt.dataset: [IncomingSource(path, fmt.name, options, args.strict)]})
        log_pull(home, fmt.name, location, "ingested" if code == EXIT_OK else f"rejected (exit {code})", sha)
        return code
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def cmd_sources(home: Home, args: argparse.Namespace) -> int:
    """Each publisher format: dataset, publisher, URL, last pull, current release."""
    from ingestion.fetch import last_pull, release_location, url_variable
    from ingestion.sources import source_formats

    current = _current_releases(home)
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
        for key, source_file, rows, skipped, loaded_at, count in releases:
            label = f"{key}: " if key else ""
            print(f"  current:    {label}{source_file}  {rows} rows, {skipped} skipped, "
                  f"loaded {loaded_at:%Y-%m-%d %H:%M:%S} ({count} release(s) stored)")
    return EXIT_OK


def _current_releases(home: Home) -> dict[str, list[tuple]]:
    """Per source: (release key, current file, rows, skipped, loaded at, releases loaded), from the warehouse."""
    from ingestion.warehouse import WarehouseMissing, connect_readonly

    try:
        con = connect_readonly(home)
    except WarehouseMissing:
        return {}
    try:
        # which release is current is decided once, by the model the facts use (int_source_files)
        if not con.execute("SELECT count(*) FROM duckdb_views() WHERE schema_name = 'intermediate' "
                           "AND view_name = 'int_source_files'").fetchone()[0]:
            return {}
        rows = con.execute("""
            SELECT s.source, s.release_key, s.source_file, f.row_count, r.rows_skipped, f.loaded_at,
                   count(*) OVER (PARTITION BY s.source, s.release_key) AS releases, s.is_current
            FROM intermediate.int_source_files s
            JOIN meta.source_releases r USING (source_file) JOIN meta.file_registry f USING (source_file)
            WHERE s.is_release
            ORDER BY s.source, s.release_key
        """).fetchall()
    finally:
        con.close()
    current: dict[str, list[tuple]] = {}
    for source, key, source_file, count, skipped, loaded_at, releases, is_current in rows:
        if is_current:
            current.setdefault(source, []).append((key, source_file, count, skipped, loaded_at, releases))
    return current


# -- query --------------------------------------------------------------------------------------


def cmd_query(home: Home, args: argparse.Namespace) -> int:
    """Run read-only SQL and print the result."""
    import duckdb

    from ingestion.warehouse import connect_readonly

    con = connect_readonly(home)
    try:
        try:
            cursor = con.execute(args.sql)
        except duckdb.Error as exc:
            message = str(exc).splitlines()[0]
            if "read-only" in message.lower() or "external access" in message.lower() or "lock" in message.lower():
                raise UsageError(f"query refused: the warehouse is read-only for queries ({message})") from None
            raise UsageError(f"query failed: {message}") from None
        if cursor.description is None:
            return EXIT_OK
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.close()
    sys.stdout.write(format_rows(columns, rows, args.format))
    return EXIT_OK


def format_rows(columns: list[str], rows: list[tuple], fmt: str) -> str:
    """Rows as an aligned table, CSV (formulas escaped) or JSON."""
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
    widths = [min(w, 60) for w in widths]
    line = "  ".join(c.ljust(w)[:w] for c, w in zip(columns, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w)[:w] for v, w in zip(row, widths, strict=True)) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


# -- status -------------------------------------------------------------------------------------


def cmd_status(home: Home, args: argparse.Namespace) -> int:
    """Files loaded, rejected files, last run and its checks."""
    from ingestion.warehouse import connect_readonly
    from orchestration.runner import latest_run

    print(f"home: {home.root}")
    con = connect_readonly(home)
    try:
        files = con.execute(
            "SELECT dataset, source_file, row_count, source_sha256, loaded_at FROM meta.file_registry "
            "ORDER BY dataset, ingest_seq"
        ).fetchall()
        rejected = con.execute(
            "SELECT source_file, problem_count, finished_at FROM ("
            "  SELECT *, row_number() OVER (PARTITION BY source_file ORDER BY finished_at DESC) AS n "
            "  FROM meta.load_log WHERE outcome IN ('loaded', 'rejected')) "
            "WHERE n = 1 AND outcome = 'rejected' ORDER BY source_file"
        ).fetchall()
    finally:
        con.close()
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
    from ingestion.validation.context import docs_index

    docs = docs_index(home.gx)
    print(f"data docs: {docs if docs.exists() else '(none yet: run refresh or ingest)'}")
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


if __name__ == "__main__":
    sys.exit(main())
