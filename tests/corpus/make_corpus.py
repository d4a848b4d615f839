"""Write the bad-input corpus ``tests/corpus/bad/`` and its ``expected.csv`` (run once, commit the outputs).

Every file breaks exactly one rule of EXTRACTS.md; every other value in it is valid (dates
in 2025, known countries, correct currencies), so the expected problem is unambiguous.
Files are named ``<dataset>__<rule>.<ext>``; ``expected.csv`` gives the problem each must
raise: ``file,dataset,row,column,reason_contains`` (row/column empty when the problem is
about the whole file).

    .venv/bin/python tests/corpus/make_corpus.py

Two cases are not committed but generated at test time (``tests/orchestration/test_bad_inputs.py``):
a binary file named ``.csv`` and a CSV with a 50 MB text cell.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

BAD = Path(__file__).resolve().parent / "bad"

#: Creation time written into every workbook, so that regenerating the corpus changes no byte.
CREATED = datetime(2025, 9, 4, 12, 0, 0)
#: A spreadsheet formula that would start a program if a spreadsheet evaluated it.
FORMULA = "=cmd|' /C calc'!A0"

COLUMNS: dict[str, list[str]] = {
    "pledges": ["pledge_id", "announced_on", "donor", "recipient", "category", "amount", "currency",
                "personnel", "status", "description", "source_url", "source_name"],
    "oil_imports": ["period", "importer", "origin", "route", "via_country", "product", "volume_tonnes",
                    "value", "currency", "source_url", "source_name"],
    "aid_changes": ["announced_on", "effective_on", "donor", "recipient", "programme", "aid_type", "change",
                    "amount_change", "currency", "fiscal_year", "description", "source_url", "source_name"],
    "positions": ["stated_on", "country", "issue", "stance", "actor", "summary", "source_url", "source_name"],
    "sanctions": ["measure_id", "announced_on", "imposed_by", "target", "measure_type", "sector", "status",
                  "description", "source_url", "source_name"],
}
ISSUES = ("troop_deployment", "peacekeeping_force", "military_aid")


def valid_row(dataset: str, i: int) -> dict[str, str | None]:
    """Row ``i`` (1-based) of a valid file of ``dataset``; rows of one file differ from each other."""
    source = {"source_url": f"https://example.org/{dataset}/{i}", "source_name": "bad-input corpus"}
    match dataset:
        case "pledges":
            row = {"pledge_id": f"corpus-p-{i}", "announced_on": "2025-09-04", "donor": "Germany",
                   "recipient": "Ukraine", "category": "military", "amount": "1,200,000", "currency": "EUR",
                   "personnel": None, "status": "committed", "description": f"Corpus pledge {i}"}
        case "oil_imports":
            row = {"period": f"2025-0{i}", "importer": "Hungary", "origin": "Russia", "route": "pipeline",
                   "via_country": None, "product": "crude", "volume_tonnes": "100000", "value": "50000000",
                   "currency": "EUR"}
        case "aid_changes":
            row = {"announced_on": "2025-09-04", "effective_on": "2025-10-01", "donor": "United States",
                   "recipient": "Eastern Europe", "programme": f"Section 333 train-and-equip, tranche {i}",
                   "aid_type": "security", "change": "decrease", "amount_change": "-1000000", "currency": "USD",
                   "fiscal_year": "2026", "description": f"Corpus aid change {i}"}
        case "positions":
            row = {"stated_on": "2025-09-04", "country": "France", "issue": ISSUES[i - 1], "stance": "support",
                   "actor": "Emmanuel Macron", "summary": f"Corpus position {i}"}
        case "sanctions":
            row = {"measure_id": f"corpus-s-{i}", "announced_on": "2025-09-04", "imposed_by": "EU",
                   "target": "Russia", "measure_type": "price_cap", "sector": "oil", "status": "adopted",
                   "description": f"Corpus measure {i}"}
        case _:
            raise KeyError(dataset)
    return {**row, **source}


@dataclass
class Case:
    """One corpus file and the problem it must raise."""

    name: str
    dataset: str
    row: int | None
    column: str | None
    reason: str
    #: rows of the file: ``n`` valid rows with ``bad`` (1-based row -> overrides) applied.
    n: int = 2
    bad: dict[int, dict[str, str | None]] = field(default_factory=dict)
    #: columns left out of the header.
    drop: tuple[str, ...] = ()
    #: columns of the header taken from another dataset (the file is that dataset's).
    columns_of: str | None = None
    #: the file's bytes, for cases about the file itself rather than its rows.
    content: bytes | Callable[[], bytes] | None = None

    def rows(self) -> list[dict[str, str | None]]:
        """The records of the file."""
        dataset = self.columns_of or self.dataset
        rows = [valid_row(dataset, i) for i in range(1, self.n + 1)]
        for number, changes in self.bad.items():
            rows[number - 1].update(changes)
        return [{k: v for k, v in r.items() if k not in self.drop} for r in rows]

    def header(self) -> list[str]:
        """The columns of the file, in contract order."""
        return [c for c in COLUMNS[self.columns_of or self.dataset] if c not in self.drop]


# -- writers ------------------------------------------------------------------------------------


def write_csv(case: Case) -> bytes:
    """RFC 4180 CSV, UTF-8, one header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(case.header())
    for r in case.rows():
        writer.writerow(["" if r[c] is None else r[c] for c in case.header()])
    return out.getvalue().encode("utf-8")


def write_json(case: Case) -> bytes:
    """An array of objects."""
    return (json.dumps(case.rows(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_jsonl(case: Case) -> bytes:
    """One object per line."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in case.rows()).encode("utf-8")


def _as_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def write_xlsx(case: Case, target: Path | io.BytesIO) -> None:
    """First sheet, header in row 1; ISO dates as real date cells, numbers as numbers."""
    book = xlsxwriter.Workbook(target if isinstance(target, io.BytesIO) else str(target), {"in_memory": True})
    book.set_properties({"created": CREATED})
    sheet = book.add_worksheet("extract")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for j, col in enumerate(case.header()):
        sheet.write_string(0, j, col)
    for i, r in enumerate(case.rows(), start=1):
        for j, col in enumerate(case.header()):
            value = r[col]
            if value is None:
                continue
            as_date = _as_date(value)
            if as_date is not None:
                sheet.write_datetime(i, j, as_date, date_format)
            elif col in ("volume_tonnes", "value", "fiscal_year") and value.lstrip("-").isdigit():
                sheet.write_number(i, j, int(value))
            else:
                sheet.write_string(i, j, value)
    book.close()


def xlsx_bytes(fill: Callable[[xlsxwriter.Workbook, Any], None]) -> Callable[[], bytes]:
    """A workbook written cell by cell by ``fill(book, first_sheet)``, for cases the row writer cannot express."""
    def build() -> bytes:
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        book.set_properties({"created": CREATED})
        fill(book, book.add_worksheet("extract"))
        book.close()
        return out.getvalue()
    return build


def parquet_bytes(frame: pl.DataFrame) -> Callable[[], bytes]:
    """A Parquet file of ``frame``, whatever its column types."""
    def build() -> bytes:
        out = io.BytesIO()
        frame.write_parquet(out)
        return out.getvalue()
    return build


def write_parquet(case: Case, path: Path) -> None:
    """Columns named as in the contract; text columns (readers see every value as text anyway)."""
    case_frame(case).write_parquet(path)


def write(case: Case, path: Path) -> None:
    """Write ``case`` to ``path`` in the format its suffix names."""
    if case.content is not None:
        path.write_bytes(case.content() if callable(case.content) else case.content)
        return
    suffix = path.suffix
    if suffix == ".csv":
        path.write_bytes(write_csv(case))
    elif suffix == ".json":
        path.write_bytes(write_json(case))
    elif suffix in (".jsonl", ".ndjson"):
        path.write_bytes(write_jsonl(case))
    elif suffix == ".xlsx":
        write_xlsx(case, path)
    elif suffix == ".parquet":
        write_parquet(case, path)
    else:
        raise ValueError(f"no writer for {suffix}")


def _head_of(case: Case, suffix: str, nbytes: int) -> Callable[[], bytes]:
    """The first ``nbytes`` of a valid file (a truncated download)."""
    def build() -> bytes:
        out = io.BytesIO()
        if suffix == ".xlsx":
            write_xlsx(case, out)
        else:
            case_frame(case).write_parquet(out)
        data = out.getvalue()
        assert len(data) > nbytes
        return data[:nbytes]
    return build


def case_frame(case: Case) -> pl.DataFrame:
    """The rows of ``case`` as a frame of text columns."""
    header = case.header()
    return pl.DataFrame({c: [r[c] for r in case.rows()] for c in header}, schema={c: pl.String for c in header})


def _error_cell_in_amount(book: xlsxwriter.Workbook, sheet: Any) -> None:
    """A pledge whose amount cell holds the error #DIV/0! (a broken formula), not a number."""
    header = ["pledge_id", "announced_on", "donor", "category", "amount", "currency"]
    for j, col in enumerate(header):
        sheet.write_string(0, j, col)
    for j, value in enumerate(["corpus-p-1", "2025-09-04", "Germany", "military"]):
        sheet.write_string(1, j, value)
    sheet.write_formula(1, 4, "=1/0", None, "#DIV/0!")  # an error cell: the amount is broken, not empty
    sheet.write_string(1, 5, "EUR")


def _duplicate_header(book: xlsxwriter.Workbook, sheet: Any) -> None:
    """A positions sheet whose header names ``country`` twice."""
    for j, value in enumerate(["stated_on", "country", "issue", "stance", "country"]):
        sheet.write_string(0, j, value)
    for j, value in enumerate(["2025-09-04", "France", "troop_deployment", "support", "Germany"]):
        sheet.write_string(1, j, value)


LONG_TEXT = "x" * 10_001
FUTURE = "2099-01-15"

CASES: list[Case] = [
    # -- header ------------------------------------------------------------------------------
    Case("pledges__required_column_missing.csv", "pledges", None, "category",
         "required column(s) missing from the header: category", drop=("category",)),
    Case("oil_imports__required_column_missing.json", "oil_imports", None, "product",
         "required column(s) missing from the header: product", drop=("product",)),
    Case("sanctions__required_column_missing.parquet", "sanctions", None, "status",
         "required column(s) missing from the header: status", drop=("status",)),
    Case("pledges__columns_of_oil_imports.csv", "pledges", None, "announced_on, donor, category",
         "ingest it with --dataset oil_imports", columns_of="oil_imports"),
    Case("positions__duplicate_header_column.csv", "positions", None, None,
         "column 'Country' appears twice in the header",
         content=b"stated_on,country,issue,stance,Country\n2025-09-04,France,troop_deployment,support,France\n"),
    # -- required values -----------------------------------------------------------------------
    Case("pledges__required_value_missing.csv", "pledges", 2, "donor", "required value missing",
         bad={2: {"donor": None}}),
    Case("oil_imports__required_value_missing.csv", "oil_imports", 1, "importer", "required value missing",
         bad={1: {"importer": "  "}}),
    Case("aid_changes__required_value_missing.json", "aid_changes", 2, "programme", "required value missing",
         bad={2: {"programme": None}}),
    Case("positions__required_value_missing.jsonl", "positions", 3, "stance", "required value missing",
         n=3, bad={3: {"stance": ""}}),
    Case("sanctions__required_value_missing.xlsx", "sanctions", 2, "announced_on", "required value missing",
         bad={2: {"announced_on": None}}),
    # -- countries -----------------------------------------------------------------------------
    Case("pledges__unknown_donor.csv", "pledges", 2, "donor",
         "unknown country or bloc (did you mean 'Germany'", bad={2: {"donor": "Germny"}}),
    Case("pledges__unknown_recipient.xlsx", "pledges", 1, "recipient",
         "unknown country or bloc (did you mean 'Ukraine'", bad={1: {"recipient": "Ukriane"}}),
    Case("oil_imports__unknown_importer.csv", "oil_imports", 1, "importer",
         "unknown country or bloc (did you mean 'Hungary'", bad={1: {"importer": "Hungray"}}),
    Case("oil_imports__unknown_via_country.ndjson", "oil_imports", 2, "via_country",
         "unknown country or bloc (did you mean 'India'",
         bad={2: {"route": "via_third_country", "via_country": "Indai"}}),
    Case("aid_changes__unknown_recipient.csv", "aid_changes", 1, "recipient",
         "unknown country or bloc (did you mean 'Poland'", bad={1: {"recipient": "Polnad"}}),
    Case("aid_changes__region_not_matched_to_bloc.csv", "aid_changes", 1, "recipient",
         "unknown country or bloc", bad={1: {"recipient": "Eastern Europe Region"}}),
    Case("positions__unknown_country.ndjson", "positions", 2, "country",
         "unknown country or bloc (did you mean 'France'", bad={2: {"country": "Frnace"}}),
    Case("sanctions__unknown_target.parquet", "sanctions", 1, "target",
         "unknown country or bloc (did you mean 'Russian Federation'", bad={1: {"target": "Rusia"}}),
    Case("oil_imports__bloc_as_origin.csv", "oil_imports", 2, "origin",
         "'EU member states' is a bloc (EU member states (together)); origin must be a country",
         bad={2: {"origin": "EU member states"}}),
    Case("sanctions__bloc_as_target.json", "sanctions", 1, "target", "'NATO' is a bloc; target must be a country",
         bad={1: {"target": "NATO"}}),
    Case("pledges__formula_in_donor.csv", "pledges", 1, "donor", "unknown country or bloc",
         bad={1: {"donor": FORMULA}}),
    # -- enums ---------------------------------------------------------------------------------
    Case("pledges__unknown_category.csv", "pledges", 2, "category",
         "unknown category value; allowed: military, financial", bad={2: {"category": "militray"}}),
    Case("pledges__unknown_status.json", "pledges", 1, "status",
         "unknown status value; allowed: announced, committed", bad={1: {"status": "delivred"}}),
    Case("oil_imports__unknown_route.csv", "oil_imports", 2, "route",
         "unknown route value; allowed: pipeline, seaborne", bad={2: {"route": "seabourne"}}),
    Case("oil_imports__unknown_product.xlsx", "oil_imports", 1, "product",
         "unknown product value; allowed: crude, refined", bad={1: {"product": "diesel"}}),
    Case("aid_changes__unknown_aid_type.csv", "aid_changes", 2, "aid_type",
         "(did you mean 'humanitarian'", bad={2: {"aid_type": "humanitarain"}}),
    Case("aid_changes__unknown_change.jsonl", "aid_changes", 1, "change",
         "unknown change value; allowed: new, increase",
         bad={1: {"change": "cut", "amount_change": None, "currency": None}}),
    Case("positions__unknown_issue.csv", "positions", 1, "issue",
         "(did you mean 'troop_deployment'", bad={1: {"issue": "troop deployments"}}),
    Case("positions__unknown_stance.parquet", "positions", 2, "stance",
         "unknown stance value; allowed: support, conditional", bad={2: {"stance": "maybe"}}),
    Case("positions__formula_in_stance.csv", "positions", 1, "stance", "unknown stance value",
         bad={1: {"stance": FORMULA}}),
    Case("sanctions__unknown_measure_type.csv", "sanctions", 2, "measure_type",
         "unknown measure_type value; allowed: asset_freeze", bad={2: {"measure_type": "embargo"}}),
    Case("sanctions__unknown_status.ndjson", "sanctions", 1, "status",
         "unknown status value; allowed: threatened, proposed", bad={1: {"status": "enforced"}}),
    # a formula in free text is stored text; the file is rejected only for its unknown status
    Case("sanctions__formula_in_text_unknown_status.csv", "sanctions", 2, "status", "unknown status value",
         bad={1: {"description": FORMULA}, 2: {"status": "enforced"}}),
    # -- types ---------------------------------------------------------------------------------
    Case("pledges__unparseable_date.csv", "pledges", 2, "announced_on", "not a date: use YYYY-MM-DD",
         bad={2: {"announced_on": "2025-13-45"}}),
    Case("aid_changes__unparseable_effective_on.xlsx", "aid_changes", 1, "effective_on", "not a date",
         bad={1: {"effective_on": "next spring"}}),
    Case("oil_imports__unparseable_month.csv", "oil_imports", 1, "period", "not a month: use YYYY-MM",
         bad={1: {"period": "Q3 2025"}}),
    Case("pledges__unparseable_amount.csv", "pledges", 1, "amount", "not an amount",
         bad={1: {"amount": "about 2 billion"}}),
    Case("oil_imports__unparseable_volume.jsonl", "oil_imports", 2, "volume_tonnes", "not a number",
         bad={2: {"volume_tonnes": "12k"}}),
    Case("pledges__unparseable_personnel.csv", "pledges", 2, "personnel", "not a whole number",
         bad={2: {"personnel": "12.5"}}),
    Case("aid_changes__unparseable_fiscal_year.csv", "aid_changes", 1, "fiscal_year", "not a whole number",
         bad={1: {"fiscal_year": "FY26"}}),
    Case("pledges__bad_currency.csv", "pledges", 1, "currency", "not an ISO 4217 currency code",
         bad={1: {"currency": "EURO"}}),
    Case("oil_imports__bad_currency.parquet", "oil_imports", 2, "currency", "not an ISO 4217 currency code",
         bad={2: {"currency": "XYZ"}}),
    Case("sanctions__non_http_source_url.csv", "sanctions", 1, "source_url", "not an http(s) URL",
         bad={1: {"source_url": "ftp://example.org/sanctions.txt"}}),
    Case("positions__javascript_source_url.json", "positions", 2, "source_url", "not an http(s) URL",
         bad={2: {"source_url": "javascript:alert(1)"}}),
    # -- ranges --------------------------------------------------------------------------------
    Case("pledges__negative_amount.csv", "pledges", 2, "amount", "must be >= 0", bad={2: {"amount": "-5"}}),
    Case("pledges__negative_personnel.json", "pledges", 1, "personnel", "must be >= 0",
         bad={1: {"category": "personnel", "amount": None, "currency": None, "personnel": "-200"}}),
    Case("oil_imports__negative_volume.csv", "oil_imports", 1, "volume_tonnes", "must be >= 0",
         bad={1: {"volume_tonnes": "-100"}}),
    Case("oil_imports__negative_value.parquet", "oil_imports", 2, "value", "must be >= 0",
         bad={2: {"value": "-2.5m"}}),
    Case("aid_changes__fiscal_year_too_early.csv", "aid_changes", 2, "fiscal_year", "must be between 1900 and 2100",
         bad={2: {"fiscal_year": "1899"}}),
    Case("aid_changes__fiscal_year_too_late.ndjson", "aid_changes", 1, "fiscal_year",
         "must be between 1900 and 2100", bad={1: {"fiscal_year": "2101"}}),
    # -- dependencies between columns ----------------------------------------------------------
    Case("pledges__amount_without_currency.csv", "pledges", 1, "currency",
         "a currency is required when amount is given", bad={1: {"currency": None}}),
    Case("oil_imports__value_without_currency.json", "oil_imports", 2, "currency",
         "a currency is required when value is given", bad={2: {"currency": None}}),
    Case("aid_changes__amount_without_currency.csv", "aid_changes", 2, "currency",
         "a currency is required when amount_change is given", bad={2: {"currency": None}}),
    Case("oil_imports__via_country_with_pipeline_route.csv", "oil_imports", 1, "via_country",
         "via_country is only allowed when route is via_third_country", bad={1: {"via_country": "India"}}),
    Case("oil_imports__via_route_without_via_country.jsonl", "oil_imports", 2, "via_country",
         "via_country is required when route is via_third_country", bad={2: {"route": "via_third_country"}}),
    Case("oil_imports__neither_volume_nor_value.xlsx", "oil_imports", 1, "volume_tonnes",
         "at least one of volume_tonnes and value is required",
         bad={1: {"volume_tonnes": None, "value": None, "currency": None}}),
    Case("aid_changes__positive_amount_for_decrease.csv", "aid_changes", 1, "amount_change",
         "amount_change must be negative for decrease", bad={1: {"amount_change": "1000000"}}),
    Case("aid_changes__negative_amount_for_increase.json", "aid_changes", 2, "amount_change",
         "amount_change must be negative for decrease/suspension/termination and positive for new/increase",
         bad={2: {"change": "increase", "amount_change": "-500000"}}),
    Case("aid_changes__effective_more_than_a_year_early.csv", "aid_changes", 2, "effective_on",
         "effective_on may not be more than one year before announced_on", bad={2: {"effective_on": "2024-09-03"}}),
    # -- future dates --------------------------------------------------------------------------
    Case("pledges__announced_in_future.csv", "pledges", 1, "announced_on", "more than 31 days in the future",
         bad={1: {"announced_on": FUTURE}}),
    Case("oil_imports__period_in_future.csv", "oil_imports", 2, "period", "more than 31 days in the future",
         bad={2: {"period": "2099-01"}}),
    Case("aid_changes__announced_in_future.jsonl", "aid_changes", 1, "announced_on",
         "more than 31 days in the future", bad={1: {"announced_on": FUTURE, "effective_on": FUTURE}}),
    Case("positions__stated_in_future.xlsx", "positions", 2, "stated_on", "more than 31 days in the future",
         bad={2: {"stated_on": FUTURE}}),
    Case("sanctions__announced_in_future.csv", "sanctions", 1, "announced_on", "more than 31 days in the future",
         bad={1: {"announced_on": "15.01.2099"}}),
    # -- text length ---------------------------------------------------------------------------
    Case("pledges__description_too_long.csv", "pledges", 1, "description",
         "text of 10001 characters; at most 10000 are allowed", n=1, bad={1: {"description": LONG_TEXT}}),
    Case("positions__summary_too_long.jsonl", "positions", 2, "summary",
         "text of 10001 characters; at most 10000 are allowed", bad={2: {"summary": LONG_TEXT}}),
    Case("aid_changes__programme_too_long.parquet", "aid_changes", 1, "programme",
         "text of 10001 characters; at most 10000 are allowed", bad={1: {"programme": LONG_TEXT}}),
    # -- duplicates ----------------------------------------------------------------------------
    Case("pledges__duplicate_pledge_id.csv", "pledges", 3, "pledge_id", "duplicate pledge_id: already used on row 1",
         n=3, bad={3: {"pledge_id": "corpus-p-1"}}),
    Case("sanctions__duplicate_measure_id.json", "sanctions", 2, "measure_id",
         "duplicate measure_id: already used on row 1", bad={2: {"measure_id": "corpus-s-1"}}),
    Case("positions__same_row_twice.csv", "positions", 2, "(row)", "the same row as row 1",
         bad={2: valid_row("positions", 1)}),
    Case("oil_imports__same_row_twice.xlsx", "oil_imports", 3, "(row)", "the same row as row 2",
         n=3, bad={3: valid_row("oil_imports", 2)}),
    # -- the file itself -----------------------------------------------------------------------
    Case("pledges__empty.csv", "pledges", None, None, "the file is empty", content=b""),
    Case("positions__empty.jsonl", "positions", None, None, "the file is empty", content=b""),
    Case("sanctions__header_only.csv", "sanctions", None, None, "the file has a header but no data rows",
         content=(",".join(COLUMNS["sanctions"]) + "\n").encode()),
    Case("positions__header_only.xlsx", "positions", None, None, "the file has a header but no data rows", n=0),
    Case("oil_imports__empty_array.json", "oil_imports", None, None, "no data rows (an empty array)",
         content=b"[]\n"),
    Case("positions__latin1.csv", "positions", None, None, "not UTF-8",
         content=("stated_on,country,issue,stance,actor\n"
                  "2025-09-04,Türkiye,peacekeeping_force,conditional,Außenministerium\n").encode("latin-1")),
    Case("pledges__json_object.json", "pledges", None, None, "must be an array of objects, this is a JSON dict",
         content=json.dumps({"pledges": [valid_row("pledges", 1)]}).encode()),
    Case("sanctions__invalid_json.json", "sanctions", None, None, "not valid JSON",
         content=b'[{"measure_id": "corpus-s-1", "announced_on": "2025-09-04",\n'),
    Case("aid_changes__array_of_arrays.json", "aid_changes", None, None, "array element 1 is not an object",
         content=b'[["2025-09-04", "United States"]]\n'),
    Case("positions__blank_line.jsonl", "positions", None, None, "line 2 is empty",
         content=(json.dumps(valid_row("positions", 1)) + "\n\n" + json.dumps(valid_row("positions", 2))
                  + "\n").encode()),
    Case("sanctions__invalid_line.ndjson", "sanctions", None, None, "line 2 is not valid JSON",
         content=(json.dumps(valid_row("sanctions", 1)) + "\n{measure_id: corpus-s-2}\n").encode()),
    Case("pledges__truncated.xlsx", "pledges", None, None, "not a readable .xlsx workbook",
         content=_head_of(Case("valid", "pledges", None, None, "", n=3), ".xlsx", 3000)),
    Case("aid_changes__truncated.parquet", "aid_changes", None, None, "not a readable Parquet file",
         content=_head_of(Case("valid", "aid_changes", None, None, "", n=3), ".parquet", 300)),
    Case("oil_imports__csv_in_parquet.parquet", "oil_imports", None, None, "not a readable Parquet file",
         content=b"period,importer,route,product,volume_tonnes\n2025-08,Hungary,pipeline,crude,100000\n"),
    # -- row numbers and header matching --------------------------------------------------------
    Case("pledges__multiline_text_then_bad_row.csv", "pledges", 2, "category", "(did you mean 'military'",
         bad={1: {"description": "a quoted description\nover three\nlines"}, 2: {"category": "militry"}}),
    Case("positions__bom_header_unknown_stance.csv", "positions", 1, "stance", "unknown stance value",
         content=lambda: "\ufeff".encode() + write_csv(Case("", "positions", 0, "", "", bad={1: {"stance": "maybe"}}))),
    Case("positions__padded_mixed_case_header.csv", "positions", 2, "country", "(did you mean 'Poland'",
         content=b" Stated_On ,COUNTRY,Issue, stance \n2025-09-04,France,troop_deployment,support\n"
                 b"2025-09-04,Polnad,troop_deployment,limited\n"),
    Case("pledges__json_native_numbers.json", "pledges", 1, "personnel", "not a whole number",
         content=json.dumps([{"pledge_id": "corpus-p-1", "announced_on": "2025-09-04", "donor": "Germany",
                              "category": "personnel", "personnel": 12.5, "amount": 2500000, "currency": "EUR"}]
                            ).encode()),
    Case("pledges__same_row_twice_without_id.csv", "pledges", 2, "(row)", "the same row as row 1",
         content=b"announced_on,donor,category,amount,currency\n2025-09-04,Germany,military,100,EUR\n"
                 b"2025-09-04,Germany,military,100,EUR\n"),
    Case("sanctions__duplicate_measure_id_padded.csv", "sanctions", 2, "measure_id",
         "duplicate measure_id: already used on row 1", bad={2: {"measure_id": "  corpus-s-1 "}}),
    Case("sanctions__formula_in_imposed_by.xlsx", "sanctions", 1, "imposed_by", "unknown country or bloc",
         bad={1: {"imposed_by": "@SUM(1+1)*cmd|' /C calc'!A0"}}),
    Case("positions__row_with_extra_fields.csv", "positions", None, None, "not a valid CSV file",
         content=b"stated_on,country,issue,stance\n2025-09-04,France,troop_deployment,support,oops,extra\n"),
    Case("sanctions__unclosed_quote.csv", "sanctions", None, None, "not a valid CSV file",
         content=b'measure_id,announced_on,imposed_by,measure_type,status,description\n'
                 b'corpus-s-1,2025-09-04,EU,price_cap,adopted,"an unclosed quote,\n'),
    Case("sanctions__scalar_line.jsonl", "sanctions", None, None, "line 2 is not an object",
         content=(json.dumps(valid_row("sanctions", 1)) + '\n"corpus-s-2"\n').encode()),
    # -- inputs that crashed the reader or slipped through until a0edb74 (see the test's KNOWN_BUGS) --
    Case("pledges__list_column.parquet", "pledges", None, None, "column 'donor' holds nested values",
         content=parquet_bytes(pl.DataFrame({"announced_on": ["2025-09-04"], "donor": [["Germany", "France"]],
                                             "category": ["military"]}))),
    Case("pledges__invalid_utf8_column.parquet", "pledges", None, None, "column 'donor' cannot be read as text",
         content=parquet_bytes(pl.DataFrame({"announced_on": ["2025-09-04"], "donor": [b"Germ\xe4ny"],
                                             "category": ["military"]}))),
    Case("aid_changes__deeply_nested.json", "aid_changes", None, None, "nested too deeply", content=b"[" * 100_000),
    Case("positions__deeply_nested.jsonl", "positions", None, None, "line 1 is nested too deeply",
         content=b'{"stated_on": ' + b"[" * 100_000 + b"\n"),
    Case("pledges__lone_surrogate.json", "pledges", None, None, "not valid Unicode text",
         content=b'[{"announced_on": "2025-09-04", "donor": "Germany", "category": "military", '
                 b'"description": "broken \\ud800 text"}]\n'),
    Case("pledges__error_cell_in_amount.xlsx", "pledges", 1, "amount", "not an amount",
         content=xlsx_bytes(_error_cell_in_amount)),
    Case("positions__duplicate_header_exact.csv", "positions", None, None,
         "column 'country' appears twice in the header",
         content=b"stated_on,country,issue,stance,country\n2025-09-04,France,troop_deployment,support,Germany\n"),
    Case("positions__duplicate_header_exact.xlsx", "positions", None, None,
         "column 'country' appears twice in the header",
         content=xlsx_bytes(_duplicate_header)),
    Case("oil_imports__misspelt_via_route.csv", "oil_imports", 1, "route", "unknown route value",
         bad={1: {"route": "via third countries", "via_country": "India"}}),
]


def main() -> None:
    """Rewrite ``bad/`` and ``bad/expected.csv`` from :data:`CASES`."""
    names = [c.name for c in CASES]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, f"duplicate corpus names: {duplicates}"
    if BAD.exists():
        shutil.rmtree(BAD)
    BAD.mkdir(parents=True)
    for case in CASES:
        assert case.name.startswith(f"{case.dataset}__"), case.name
        write(case, BAD / case.name)
    with (BAD / "expected.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", "dataset", "row", "column", "reason_contains"])
        for case in CASES:
            writer.writerow([case.name, case.dataset, "" if case.row is None else case.row, case.column or "",
                             case.reason])
    print(f"wrote {len(CASES)} files and expected.csv to {BAD}")


if __name__ == "__main__":
    main()
