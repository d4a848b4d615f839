"""``pledgewatch``: refresh, ingest, query, status and ui for one warehouse home.

Exit codes: 0 success, 1 data rejected or a check failed, 2 usage error,
3 warehouse busy.
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
from pathlib import Path

from ingestion.datasets import DATASETS
from ingestion.home import REPO_DATA, Home
from ingestion.problems import escape_formula

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


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
    ingest.add_argument("--dataset", choices=sorted(DATASETS), help="dataset of the files (default: folder name)")

    validate = sub.add_parser("validate", help="check files as ingest would, without loading or storing anything")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument("--dataset", choices=sorted(DATASETS), help="dataset of the files (default: folder name)")

    query = sub.add_parser("query", help="run SQL on a read-only connection to the warehouse")
    query.add_argument("sql")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")

    sub.add_parser("status", help="files loaded per dataset, rejected files, last run and its checks")
    ui = sub.add_parser("ui", help="start the Dagster UI (dagster dev) on this home")
    ui.add_argument("--port", type=int, default=3000)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pledgewatch`` console script; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    home = Home.resolve(args.home)
    handlers = {"refresh": cmd_refresh, "ingest": cmd_ingest, "validate": cmd_validate, "query": cmd_query,
                "status": cmd_status, "ui": cmd_ui}
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
    """The dataset a file belongs to: ``--dataset``, else the name of its folder."""
    if explicit:
        return explicit
    folder = path.resolve().parent.name
    if folder in DATASETS:
        return folder
    raise UsageError(
        f"cannot tell the dataset of {path}: its folder {folder!r} is not a dataset name; "
        f"pass --dataset with one of {', '.join(DATASETS)}"
    )


def _incoming(files: list[Path], dataset: str | None) -> dict[str, list[Path]]:
    incoming: dict[str, list[Path]] = {}
    for path in files:
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        incoming.setdefault(dataset_of(path, dataset), []).append(path.resolve())
    return incoming


def _print_problems(prepared) -> None:
    print(f"REJECTED  {prepared.path}: {len(prepared.problems)} problem(s); nothing of it was loaded")
    for problem in prepared.problems:
        print(f"  {problem.as_text()}")


def cmd_ingest(home: Home, args: argparse.Namespace) -> int:
    """Validate files; store and load the accepted ones and rebuild, as a Dagster run."""
    from ingestion.datasets import get_dataset
    from ingestion.prepare import prepare_file
    from ingestion.sync import remember_prepared
    from ingestion.warehouse import acquire_write_lock, release_write_lock
    from orchestration.runner import prepare_environment, record_rejected_files, run_job

    incoming = _incoming(args.files, args.dataset)
    prepare_environment(home)
    _say(f"validating {len(args.files)} file(s) for {home.root} ...")
    acquire_write_lock(home, notify=_say, command="pledgewatch ingest")
    try:
        checked = [
            prepare_file(path, get_dataset(name), name=str(path), gx_dir=home.gx)
            for name, paths in incoming.items() for path in paths
        ]
        if not any(p.accepted for p in checked):
            record_rejected_files(home, checked, say=_say)
            for prepared in checked:
                _print_problems(prepared)
            print(f"{len(checked)} file(s) rejected: fix them and run the command again "
                  f"(reports under {home.quarantine})")
            return EXIT_REJECTED
        for prepared in checked:
            remember_prepared(prepared)
        _say(f"ingesting into {home.root} ...")
        outcome = run_job(home, incoming=incoming, datasets=sorted(incoming), say=_say)
    finally:
        release_write_lock(home)
    return _report_run(home, outcome)


def cmd_validate(home: Home, args: argparse.Namespace) -> int:
    """Check files as ingest would; load, store and change nothing."""
    import tempfile

    from ingestion.datasets import get_dataset
    from ingestion.prepare import prepare_file

    incoming = _incoming(args.files, args.dataset)
    invalid = 0
    with tempfile.TemporaryDirectory(prefix="pledgewatch-validate-") as scratch:
        for name, paths in incoming.items():
            for path in paths:
                prepared = prepare_file(path, get_dataset(name), name=str(path), gx_dir=Path(scratch))
                if prepared.accepted:
                    print(f"valid     {path}: {prepared.rows.height} rows of {name}")
                else:
                    invalid += 1
                    _print_problems(prepared)
    if invalid:
        print(f"{invalid} file(s) invalid")
        return EXIT_REJECTED
    return EXIT_OK


def _report_run(home: Home, outcome) -> int:
    """Print what a run did; the exit code follows from it."""
    for f in outcome.files:
        if f.outcome == "loaded":
            print(f"loaded    {f.source_file}: {f.row_count} rows")
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
