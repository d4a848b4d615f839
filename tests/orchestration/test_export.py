"""`pledgewatch export` and `query --format xlsx`: what a user takes away, read back as they would read it."""

from __future__ import annotations

import csv
import io
import math
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import polars as pl
import pytest

from ingestion.home import Home
from ingestion.warehouse import connect_readonly
from orchestration.reporting import export as export_module
from orchestration.reporting.export import LEADING_MARTS, ExportError, export
from orchestration.reporting.xlsx import EXCEL_MAX_SHEET_NAME, fit_sheet_name
from tests.conftest import REPO, query_home, run_cli

FORMULA = '=HYPERLINK("http://x","y")'
AT_FORMULA = "@SUM(A1)"
RICH_MARKER = '<r><t>x</t></r></is></c><c r="Z9"><f>1+1</f></c><c><is><r></r>'
URL = "https://example.org/a"
LONG_MART = "fct_a_mart_added_later_with_a_long_name"


def mart_names(home: Home) -> list[str]:
    """Tables and views of schema marts, as the catalogue lists them."""
    rows = query_home(home, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' UNION ALL "
                            "SELECT view_name FROM duckdb_views() WHERE schema_name = 'marts' AND NOT internal")
    return [name for (name,) in rows]


def expected_order(home: Home) -> list[str]:
    names = mart_names(home)
    return [n for n in LEADING_MARTS if n in names] + sorted(set(names) - set(LEADING_MARTS))


def sheet_rows(book: openpyxl.Workbook, name: str) -> list[tuple]:
    return list(book[name].iter_rows(values_only=True))


def cells(book: openpyxl.Workbook, name: str) -> list[list[Any]]:
    return [list(row) for row in book[name].iter_rows()]


def same_value(cell: Any, value: Any) -> bool:
    """The cell holds ``value`` in its Excel type: empty for NULL, a real date, a number, TRUE/FALSE, text."""
    if value is None:
        return cell.value is None
    if isinstance(value, bool):
        return cell.data_type == "b" and cell.value is value
    if isinstance(value, int | float):
        return cell.data_type == "n" and math.isclose(cell.value, value, rel_tol=1e-12)
    if isinstance(value, datetime):
        return cell.is_date and abs((cell.value - value).total_seconds()) < 0.001
    if isinstance(value, date):
        return cell.is_date and cell.value == datetime.combine(value, datetime.min.time())
    return cell.data_type == "s" and cell.value == value


@pytest.fixture(scope="module")
def workbook_path(built_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "pledgewatch.xlsx"
    assert run_cli("--home", str(built_home.root), "export", "--out", str(out)) == 0
    return out


@pytest.fixture(scope="module")
def book(workbook_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(workbook_path)


@pytest.fixture(scope="module")
def tampered_home(built_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A copy of the built warehouse whose marts hold formula-like text, a URL and a mart added later."""
    home = Home(tmp_path_factory.mktemp("tampered"))
    shutil.copyfile(built_home.warehouse, home.warehouse)
    con = duckdb.connect(str(home.warehouse))
    try:
        for country, text in (("ESP", FORMULA), ("B9", AT_FORMULA), ("COALITION_WILLING", RICH_MARKER)):
            con.execute("UPDATE marts.country_scorecard SET country_name = ? WHERE country = ?", [text, country])
        con.execute("UPDATE marts.fct_positions SET source_url = ?", [URL])
        con.execute(f"CREATE TABLE marts.{LONG_MART} AS SELECT country, issue FROM marts.country_issue LIMIT 7")
        con.execute(f"COMMENT ON TABLE marts.{LONG_MART} IS 'A mart that no export code knows about.'")
        con.execute(f"COMMENT ON COLUMN marts.{LONG_MART}.country IS 'The country.'")
        con.execute(f"COMMENT ON COLUMN marts.{LONG_MART}.issue IS 'The issue.'")
    finally:
        con.close()
    return home


# -- the workbook -------------------------------------------------------------------------------


def test_one_sheet_per_mart_leading_marts_first_then_alphabetical_then_definitions_and_sources(
        built_home: Home, book: openpyxl.Workbook):
    assert book.sheetnames == [*expected_order(built_home), "definitions", "sources"]
    assert book.sheetnames[:3] == ["country_scorecard", "country_issue", "country_issue_figures"]
    assert "fct_oil_imports" in book.sheetnames  # a view, exported like the tables


def test_each_sheet_holds_its_marts_rows_in_their_excel_types(built_home: Home, book: openpyxl.Workbook):
    for mart in mart_names(built_home):
        con = connect_readonly(built_home)
        try:
            cursor = con.execute(f'SELECT * FROM marts."{mart}"')
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        finally:
            con.close()
        sheet = cells(book, mart)
        assert [c.value for c in sheet[0]] == columns, mart
        assert len(sheet) - 1 == len(rows) == query_home(built_home, f'SELECT count(*) FROM marts."{mart}"')[0][0]
        for written, row in zip(sheet[1:], rows, strict=True):
            mismatched = [(c.coordinate, c.value, v) for c, v in zip(written, row, strict=True) if not same_value(c, v)]
            assert not mismatched, f"{mart}: {mismatched[:5]}"


def test_null_is_an_empty_cell_and_zero_stays_zero(built_home: Home, book: openpyxl.Workbook):
    rows = query_home(built_home,
                      "SELECT sanctions_adopted, aid_net_change_usd_latest_full_fy FROM marts.country_scorecard")
    sheet = sheet_rows(book, "country_scorecard")
    header = sheet[0]
    aid = header.index("aid_net_change_usd_latest_full_fy")
    written = [(r[header.index("sanctions_adopted")], r[aid]) for r in sheet[1:]]
    assert (0, None) in rows  # the bundled data has both a zero and a NULL here
    assert written == rows


def test_sheets_have_a_bold_frozen_header_and_filters(book: openpyxl.Workbook):
    sheet = book["country_scorecard"]
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold for c in sheet[1])
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    assert 8 <= sheet.column_dimensions["B"].width <= 61


def test_definitions_describe_every_exported_mart_and_column(built_home: Home, book: openpyxl.Workbook):
    sheet = sheet_rows(book, "definitions")
    assert sheet[0] == ("table", "column", "data_type", "description", "sheet", "note")
    tables = {r[0]: r for r in sheet[1:] if r[1] is None}
    columns = {(r[0], r[1]): r for r in sheet[1:] if r[1] is not None}
    for mart in mart_names(built_home):
        assert tables[mart][3], f"{mart} has no description"
        assert tables[mart][4] == mart
    expected = query_home(built_home, "SELECT table_name, column_name, data_type FROM duckdb_columns() "
                                      "WHERE schema_name = 'marts'")
    for table, column, data_type in expected:
        row = columns[(table, column)]
        assert row[2] == data_type
        assert row[3] and row[3].strip(), f"{table}.{column} has no description"
    assert all(columns[("sources", c)][3] for c in sheet_rows(book, "sources")[0])


def test_sources_has_one_row_per_loaded_file_with_its_sha256(built_home: Home, book: openpyxl.Workbook):
    sheet = sheet_rows(book, "sources")
    header = sheet[0]
    assert header == ("dataset", "source", "publisher", "url", "source_file", "as_of", "sha256",
                      "rows_loaded", "rows_skipped", "loaded_at")
    registry = query_home(built_home, "SELECT dataset, source_file, source_sha256, row_count FROM meta.file_registry")
    got = [(r[0], r[4], r[6], r[7]) for r in sheet[1:]]
    assert sorted(got) == sorted(registry)
    for row in sheet[1:]:  # the bundled files are extracts, citing the seed report
        assert row[1] == "extract" and row[8] == 0
        assert row[2].startswith("Seed report")
        assert isinstance(row[9], datetime)


def test_formula_like_text_stays_text_and_no_cell_is_a_formula_or_link(tampered_home: Home, tmp_path: Path):
    out = tmp_path / "x.xlsx"
    assert run_cli("--home", str(tampered_home.root), "export", "--out", str(out)) == 0
    book = openpyxl.load_workbook(out)
    names = {c[0].value: c[1] for c in cells(book, "country_scorecard")[1:]}
    for country, text in (("ESP", FORMULA), ("B9", AT_FORMULA), ("COALITION_WILLING", RICH_MARKER)):
        assert names[country].value == text
        assert names[country].data_type == "s"
    url_column = sheet_rows(book, "fct_positions")[0].index("source_url")
    assert all(row[url_column].value == URL for row in cells(book, "fct_positions")[1:])
    for sheet in book.worksheets:
        assert not sheet._hyperlinks, sheet.title
        formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        assert not formulas, f"{sheet.title}: {formulas}"


def test_a_mart_added_later_is_exported_under_a_shortened_name_the_definitions_explain(
        tampered_home: Home, tmp_path: Path):
    out = tmp_path / "x.xlsx"
    assert run_cli("--home", str(tampered_home.root), "export", "--out", str(out)) == 0
    book = openpyxl.load_workbook(out)
    short = fit_sheet_name(LONG_MART)
    assert len(short) <= EXCEL_MAX_SHEET_NAME < len(LONG_MART)
    assert short in book.sheetnames
    assert len(sheet_rows(book, short)) == 1 + 7
    row = next(r for r in sheet_rows(book, "definitions") if r[0] == LONG_MART and r[1] is None)
    assert row[3] == "A mart that no export code knows about."
    assert row[4] == short and "shortened" in row[5]


def test_sheet_names_are_shortened_deterministically_and_stay_distinct():
    a, b = "fct_" + "x" * 40 + "_a", "fct_" + "x" * 40 + "_b"
    assert fit_sheet_name(a) == fit_sheet_name(a)
    assert fit_sheet_name(a) != fit_sheet_name(b)
    assert all(len(fit_sheet_name(n, " (12)")) == EXCEL_MAX_SHEET_NAME for n in (a, b))
    assert fit_sheet_name("short") == "short"
    assert fit_sheet_name("short", " (2)") == "short (2)"
    assert ":" not in fit_sheet_name("a:b") and fit_sheet_name("a:b") != fit_sheet_name("a?b")


def test_rows_past_the_sheet_limit_continue_on_numbered_sheets(built_home: Home, tmp_path: Path):
    out = tmp_path / "split.xlsx"
    con = connect_readonly(built_home)
    try:
        result = export(con, "xlsx", out, max_rows=3)  # a header and two rows a sheet
    finally:
        con.close()
    expected = query_home(built_home, "SELECT country FROM marts.country_scorecard")
    names = ["country_scorecard"] + [f"country_scorecard ({n})" for n in range(2, 9)]
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:8] == names
    assert book.sheetnames[8] == "country_issue"
    written = [row[0] for name in names for row in sheet_rows(book, name)[1:]]
    assert written == [c for (c,) in expected]
    assert all(sheet_rows(book, name)[0][0] == "country" and book[name].max_row <= 3 for name in names)
    scorecard = next(t for t in result.tables if t.table == "country_scorecard")
    assert scorecard.places == names and scorecard.rows == 15
    assert "15 rows split over 8 sheets" in scorecard.notes[0]
    row = next(r for r in sheet_rows(book, "definitions") if r[0] == "country_scorecard" and r[1] is None)
    assert row[4] == ", ".join(names) and "split over 8 sheets" in row[5]


# -- csv and parquet ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_folders_hold_every_mart_with_its_row_count(built_home: Home, tmp_path: Path, fmt: str):
    out = tmp_path / f"export_{fmt}"
    assert run_cli("--home", str(built_home.root), "export", "--format", fmt, "--out", str(out)) == 0
    marts = mart_names(built_home)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.{fmt}" for n in [*marts, "definitions", "sources"])
    read = (lambda p: pl.read_csv(p, infer_schema=False)) if fmt == "csv" else pl.read_parquet
    for mart in marts:
        frame = read(out / f"{mart}.{fmt}")
        assert frame.height == query_home(built_home, f'SELECT count(*) FROM marts."{mart}"')[0][0], mart
        assert frame.columns == [d for (d,) in query_home(
            built_home, "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = ? "
                        "ORDER BY column_index", [mart])]
    registry = query_home(built_home, "SELECT source_file, source_sha256 FROM meta.file_registry")
    sources = read(out / f"sources.{fmt}")
    assert sorted(sources.select("source_file", "sha256").rows()) == sorted(registry)
    columns = query_home(built_home, "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'marts'")[0][0]
    definitions = read(out / f"definitions.{fmt}")
    assert definitions.filter(pl.col("table") != "sources").height == columns + len(marts)


def test_parquet_keeps_the_marts_types(built_home: Home, tmp_path: Path):
    out = tmp_path / "p"
    assert run_cli("--home", str(built_home.root), "export", "--format", "parquet", "--out", str(out)) == 0
    frame = pl.read_parquet(out / "fct_pledges.parquet")
    assert frame.schema["announced_on"] == pl.Date
    assert frame.schema["amount_eur"] == pl.Float64
    assert frame.schema["counted_in_figures"] == pl.Boolean
    assert frame.rows() == query_home(built_home, "SELECT * FROM marts.fct_pledges")


def test_csv_escapes_formula_like_text_as_query_csv_does(tampered_home: Home, tmp_path: Path):
    out = tmp_path / "c"
    assert run_cli("--home", str(tampered_home.root), "export", "--format", "csv", "--out", str(out)) == 0
    frame = pl.read_csv(out / "country_scorecard.csv", infer_schema=False)
    names = dict(frame.select("country", "country_name").rows())
    assert names["ESP"] == "'" + FORMULA
    assert names["B9"] == "'" + AT_FORMULA
    assert names["COALITION_WILLING"] == RICH_MARKER  # not formula-like: as it is
    assert names["ESP"] == run_query_csv(tampered_home, "SELECT country_name FROM marts.country_scorecard "
                                                        "WHERE country = 'ESP'")
    assert (out / f"{LONG_MART}.csv").exists()  # files keep the full name


def run_query_csv(home: Home, sql: str) -> str:
    """The one value ``query --format csv`` writes for ``sql``."""
    from orchestration.cli import format_rows

    con = connect_readonly(home)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    return list(csv.reader(io.StringIO(format_rows(["v"], rows, "csv"))))[1][0]


# -- destination, atomicity, errors -------------------------------------------------------------


@pytest.fixture
def warehouse_home(built_home: Home, tmp_path: Path) -> Home:
    """A home holding only a copy of the built warehouse (exports write into it)."""
    home = Home(tmp_path / "home")
    home.root.mkdir()
    shutil.copyfile(built_home.warehouse, home.warehouse)
    return home


def test_default_destination_is_a_timestamped_file_under_exports(warehouse_home: Home, capsys):
    assert run_cli("--home", str(warehouse_home.root), "export") == 0
    written = list((warehouse_home.root / "exports").iterdir())
    assert len(written) == 1
    assert written[0].name.startswith("pledgewatch_") and written[0].name.endswith("Z.xlsx")
    out = capsys.readouterr().out
    assert f"wrote {written[0]} (xlsx" in out
    assert "country_scorecard" in out and "15 rows" in out

    assert run_cli("--home", str(warehouse_home.root), "export", "--format", "csv") == 0
    folders = [p for p in (warehouse_home.root / "exports").iterdir() if p.is_dir()]
    assert len(folders) == 1 and folders[0].name.endswith("Z_csv")


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "parquet"])
def test_a_failed_export_leaves_nothing_behind(built_home: Home, tmp_path: Path, monkeypatch, fmt: str):
    def broken(con):
        raise RuntimeError("the disk vanished")

    monkeypatch.setattr(export_module, "sources", broken)  # fails after every mart was written
    out = tmp_path / "out" / ("x.xlsx" if fmt == "xlsx" else "x")
    con = connect_readonly(built_home)
    try:
        with pytest.raises(RuntimeError, match="the disk vanished"):
            export(con, fmt, out)
    finally:
        con.close()
    assert list(out.parent.iterdir()) == []


def test_an_existing_folder_with_files_is_refused_and_left_alone(built_home: Home, tmp_path: Path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    assert run_cli("--home", str(built_home.root), "export", "--format", "csv", "--out", str(out)) == 2
    assert "already exists and is not an empty folder" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_an_unwritable_destination_is_a_clear_error(built_home: Home, tmp_path: Path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert run_cli("--home", str(built_home.root), "export", "--out", str(blocker / "x.xlsx")) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        f"pledgewatch: error: cannot write {blocker / 'x.xlsx'}: {blocker} is a file, not a folder")
    assert "Traceback" not in err


def test_export_without_a_warehouse_says_how_to_build_one(tmp_path: Path, capsys):
    assert run_cli("--home", str(tmp_path / "empty"), "export", "--out", str(tmp_path / "x.xlsx")) == 2
    assert "no warehouse at" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_export_rejects_an_unknown_format(built_home: Home, tmp_path: Path):
    con = connect_readonly(built_home)
    try:
        with pytest.raises(ExportError, match="unknown export format"):
            export(con, "ods", tmp_path / "x.ods")
    finally:
        con.close()


# -- query --format xlsx ------------------------------------------------------------------------


def test_query_xlsx_writes_one_sheet_with_the_querys_rows(built_home: Home, tmp_path: Path, capsys):
    out = tmp_path / "q.xlsx"
    sql = ("SELECT country, sanctions_adopted, aid_net_change_usd_latest_full_fy FROM marts.country_scorecard "
           "ORDER BY country")
    assert run_cli("--home", str(built_home.root), "query", sql, "--format", "xlsx", "--out", str(out)) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["query"]
    rows = sheet_rows(book, "query")
    assert rows[0] == ("country", "sanctions_adopted", "aid_net_change_usd_latest_full_fy")
    assert rows[1:] == query_home(built_home, sql)
    assert f"wrote {out}: sheet query with 15 row(s)" in capsys.readouterr().out


def test_query_xlsx_without_out_is_a_usage_error(built_home: Home, capsys):
    assert run_cli("--home", str(built_home.root), "query", "SELECT 1", "--format", "xlsx") == 2
    captured = capsys.readouterr()
    assert "give --out PATH" in captured.err
    assert captured.out == ""


def test_query_csv_with_out_writes_the_file_instead_of_the_terminal(built_home: Home, tmp_path: Path, capsys):
    out = tmp_path / "q.csv"
    assert run_cli("--home", str(built_home.root), "query", f"SELECT '{FORMULA}' AS v", "--format", "csv",
                   "--out", str(out)) == 0
    quoted = "'" + FORMULA.replace('"', '""')
    assert out.read_text(encoding="utf-8") == f'v\n"{quoted}"\n'
    assert capsys.readouterr().out == f"wrote {out}: 1 row(s) as csv\n"


def test_export_and_query_xlsx_load_no_dagster_dbt_or_great_expectations(built_home: Home, tmp_path: Path):
    script = (
        "import sys\n"
        "from orchestration.cli import main\n"
        f"assert main(['--home', {str(built_home.root)!r}, 'export', '--out', {str(tmp_path / 'a.xlsx')!r}]) == 0\n"
        f"assert main(['--home', {str(built_home.root)!r}, 'query', 'SELECT 1', '--format', 'xlsx', "
        f"'--out', {str(tmp_path / 'b.xlsx')!r}]) == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('dagster', 'dbt', 'great_expectations'))\n"
        "print('HEAVY', heavy[:10])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "HEAVY []" in result.stdout
