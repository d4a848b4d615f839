"""Tests of the extract readers (ingestion/readers.py): every format gives the same text table."""

import datetime as dt
import io
import json
import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from polars.testing import assert_frame_equal

from ingestion.datasets import get_dataset
from ingestion.prepare import prepare_file
from ingestion.readers import ROW, UnreadableFile, read_file

#: A small pledges table as every format must read it back: text values, in file order.
TABLE = {
    "pledge_id": ["p1", "p2", "p3"],
    "announced_on": ["2025-09-04", "2025-09-05", "2025-09-06"],
    "donor": ["Germany", "EU", "Poland"],
    "amount": ["1000", "2.5bn", "3m"],
    "currency": ["EUR", "EUR", "PLN"],
}
RECORDS = [dict(zip(TABLE, values, strict=True)) for values in zip(*TABLE.values(), strict=True)]
#: How xlsx gives the real date cell of row 1 (a datetime at midnight; parse_date accepts it).
XLSX_DATE_CELL_TEXT = "2025-09-04 00:00:00"


def csv_text(records: list[dict]) -> str:
    """Records as CSV text (values contain no comma or quote)."""
    lines = [",".join(records[0])] + [",".join(r[k] or "" for k in records[0]) for r in records]
    return "\n".join(lines) + "\n"


def json_records() -> list[dict]:
    """The table as JSON records, row 1's amount a JSON number."""
    records = [dict(r) for r in RECORDS]
    records[0]["amount"] = 1000
    return records


def xlsx_bytes() -> bytes:
    """The table as an xlsx workbook; row 1's date a real date cell and its amount a number cell."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, list(TABLE))
    for r, record in enumerate(RECORDS, start=1):
        for c, value in enumerate(record.values()):
            sheet.write_string(r, c, value)
    sheet.write_datetime(1, 1, dt.datetime(2025, 9, 4), workbook.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write_number(1, 3, 1000)
    workbook.close()
    return buffer.getvalue()


def write_table(path: Path) -> Path:
    """Write the table in the format named by ``path``'s suffix (``.bom.csv``: CSV with a BOM)."""
    match path.suffix:
        case ".csv" if path.name.endswith(".bom.csv"):
            path.write_bytes(b"\xef\xbb\xbf" + csv_text(RECORDS).encode())
        case ".csv":
            path.write_text(csv_text(RECORDS), encoding="utf-8")
        case ".xlsx":
            path.write_bytes(xlsx_bytes())
        case ".json":
            path.write_text(json.dumps(json_records()), encoding="utf-8")
        case ".jsonl" | ".ndjson":
            path.write_text("".join(json.dumps(r) + "\n" for r in json_records()), encoding="utf-8")
        case ".parquet":
            pl.DataFrame(TABLE).write_parquet(path)
    return path


@pytest.mark.parametrize(
    "name",
    ["pledges.csv", "pledges.bom.csv", "pledges.xlsx", "pledges.json", "pledges.jsonl", "pledges.ndjson",
     "pledges.parquet"],
)
def test_every_format_reads_as_the_same_text_table_with_row_numbers(tmp_path, name):
    expected = {ROW: [1, 2, 3], **{k: list(v) for k, v in TABLE.items()}}
    if name.endswith(".xlsx"):
        expected["announced_on"][0] = XLSX_DATE_CELL_TEXT
    frame = read_file(write_table(tmp_path / name))
    assert_frame_equal(frame, pl.DataFrame(expected, schema={ROW: pl.Int64, **dict.fromkeys(TABLE, pl.String)}))


def test_csv_bom_is_not_part_of_the_first_column_name(tmp_path):
    frame = read_file(write_table(tmp_path / "pledges.bom.csv"))
    assert frame.columns[1] == "pledge_id"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", "announced_on,donor,category\n2025-09-04,,military\n"),
        ("spaces.csv", "announced_on,donor,category\n2025-09-04,  ,military\n"),
        ("empty.json", json.dumps([{"announced_on": "2025-09-04", "donor": "", "category": "military"}])),
        ("empty.jsonl", json.dumps({"announced_on": "2025-09-04", "donor": " ", "category": "military"}) + "\n"),
    ],
)
def test_blank_values_are_missing_values(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    problems = prepare_file(path, get_dataset("pledges"), today=date(2025, 10, 1)).problems
    assert [(p.row, p.column, p.check) for p in problems] == [(1, "donor", "required")]


def test_blank_string_in_parquet_is_a_missing_value(tmp_path):
    path = tmp_path / "empty.parquet"
    pl.DataFrame({"announced_on": ["2025-09-04"], "donor": [""], "category": ["military"]}).write_parquet(path)
    problems = prepare_file(path, get_dataset("pledges"), today=date(2025, 10, 1)).problems
    assert [(p.row, p.column, p.check) for p in problems] == [(1, "donor", "required")]


def test_json_missing_key_reads_as_null(tmp_path):
    path = tmp_path / "ragged.json"
    path.write_text(json.dumps([{"pledge_id": "p1", "donor": "EU"}, {"pledge_id": "p2"}]), encoding="utf-8")
    assert read_file(path).get_column("donor").to_list() == ["EU", None]


def test_multi_line_quoted_csv_field_is_one_record(tmp_path):
    path = tmp_path / "multiline.csv"
    path.write_text('pledge_id,description\np1,"first line\nsecond line"\np2,short\n', encoding="utf-8")
    frame = read_file(path)
    assert frame.get_column(ROW).to_list() == [1, 2]
    assert frame.get_column("description").to_list() == ["first line\nsecond line", "short"]


def truncated_xlsx() -> bytes:
    """The first part of a valid workbook."""
    return xlsx_bytes()[:300]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("header_only.csv", b"pledge_id,donor,amount\n", "the file has a header but no data rows"),
        ("binary.csv", b"PK\x03\x04\x00\x00\x08\x00binary", "not a CSV text file (it contains binary data)"),
        ("latin1.csv", "pledge_id,donor\np1,München\n".encode("latin-1"), "not UTF-8"),
        ("truncated.xlsx", truncated_xlsx(), "not a readable .xlsx workbook"),
        ("object.json", b'{"pledge_id": "p1"}', "must be an array of objects"),
        ("invalid.json", b'[{"pledge_id": "p1"},', "not valid JSON"),
        ("blank_line.jsonl", b'{"pledge_id": "p1"}\n\n{"pledge_id": "p2"}\n', "line 2 is empty"),
        ("not_parquet.parquet", b"PAR1 not really", "not a readable Parquet file"),
        ("pledges.txt", b"pledge_id\np1\n", "unsupported file type '.txt'"),
    ],
)
def test_unreadable_file_is_rejected_with_one_clear_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=re.escape(reason)):
        read_file(path)
