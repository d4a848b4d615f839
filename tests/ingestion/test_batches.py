"""A CSV file read in batches gives what the file read whole gives: the same rows and row numbers, the same
rejection with the same reason, the same problems (ingestion/readers.py ``read_file_batches``; prepare_file's
``TypedRows``, which writes a big file's typed rows to a Parquet file instead of holding them)."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ingestion import readers, row_parts
from ingestion.datasets import get_dataset
from ingestion.prepare import prepare_file
from ingestion.readers import UnreadableFile, read_file, read_file_batches

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus" / "bad"
CORPUS_CSV = sorted(CORPUS.glob("*__*.csv"))  # <dataset>__<case>.csv (expected.csv lists what each gives)
GOOD_CSV = [*sorted((REPO / "data" / "raw").glob("*/seed_*.csv")),
            REPO / "tests" / "fixtures" / "synthetic_oil_imports_routes.csv"]
DAY = date(2026, 12, 2)

HEADER = "period,importer,origin,route,product,volume_tonnes,source_name"
ROWS = [f"2024-{1 + i % 12:02d},Hungary,Russia,pipeline,crude,{100 + i},synthetic batch row {i}" for i in range(12)]


def _edge_files(folder: Path) -> dict[str, Path]:
    """Small CSV files whose trouble (or quirk) sits past the first batches of 2 rows."""
    def write(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    lines = [HEADER, *ROWS]
    quoted = [*lines]
    quoted[5] = quoted[5].replace("synthetic batch row 4", '"a name\nover two lines, with a comma"')
    ragged = [*lines]
    ragged[9] += ",one value too many"
    short = [*lines]
    short[9] = "2024-01,Hungary"
    unclosed = [*lines]
    unclosed[7] = unclosed[7].replace("synthetic", '"synthetic')
    text = "\n".join(lines) + "\n"
    return {
        "plain": write("plain.csv", text.encode()),
        "quoted_newline": write("quoted_newline.csv", ("\n".join(quoted) + "\n").encode()),
        "bom_crlf": write("bom_crlf.csv", ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()),
        "blank_lines_at_end": write("blank_lines.csv", (text + "\n\n").encode()),
        "no_final_newline": write("no_final_newline.csv", "\n".join(lines).encode()),
        "ragged_row_late": write("ragged.csv", ("\n".join(ragged) + "\n").encode()),
        "short_row_late": write("short.csv", ("\n".join(short) + "\n").encode()),
        "unclosed_quote_late": write("unclosed.csv", ("\n".join(unclosed) + "\n").encode()),
        "latin1_late": write("latin1.csv", text.encode() + "2024-01,Hungary,Russia,pipeline,crude,5,M\xfcnchen\n"
                             .encode("latin-1")),
        "header_only": write("header_only.csv", (HEADER + "\n").encode()),
        "empty_cells": write("empty_cells.csv", ("\n".join([HEADER, *[",,,,,,"] * 5]) + "\n").encode()),
    }


def _dataset_of(path: Path):
    """The dataset of a corpus file (``<dataset>__<case>.csv``), a bundled extract (``raw/<dataset>/``) or the
    synthetic oil fixture."""
    if "__" in path.name:
        return get_dataset(path.name.split("__")[0])
    return get_dataset("oil_imports" if path.parent.name == "fixtures" else path.parent.name)


def _whole_and_batched(path: Path) -> tuple[tuple[pl.DataFrame | None, str | None], tuple[pl.DataFrame | None,
                                                                                        str | None]]:
    def outcome(read) -> tuple[pl.DataFrame | None, str | None]:
        try:
            return read(), None
        except UnreadableFile as exc:
            return None, str(exc)

    return outcome(lambda: read_file(path)), outcome(lambda: pl.concat(list(read_file_batches(path, rows=2))))


def _assert_same_reading(path: Path) -> None:
    (whole, whole_reason), (batched, batched_reason) = _whole_and_batched(path)
    assert batched_reason == whole_reason
    if whole is not None:
        assert batched is not None
        assert_frame_equal(batched, whole)


@pytest.mark.parametrize("path", CORPUS_CSV + GOOD_CSV, ids=lambda p: p.name)
def test_a_csv_file_read_in_batches_reads_as_the_whole_file(path):
    _assert_same_reading(path)


@pytest.mark.parametrize("case", ["plain", "quoted_newline", "bom_crlf", "blank_lines_at_end", "no_final_newline",
                                  "ragged_row_late", "short_row_late", "unclosed_quote_late", "latin1_late",
                                  "header_only", "empty_cells"])
def test_a_quirk_or_fault_past_the_first_batch_reads_as_in_the_whole_file(tmp_path, case):
    _assert_same_reading(_edge_files(tmp_path)[case])


def test_batches_number_their_rows_on_from_the_batches_before(tmp_path):
    batches = list(read_file_batches(_edge_files(tmp_path)["quoted_newline"], rows=5))
    assert len(batches) > 1
    assert pl.concat(batches).get_column(readers.ROW).to_list() == list(range(1, 13))


def test_a_fault_past_the_first_batch_is_worded_as_for_the_whole_file(tmp_path):
    with pytest.raises(UnreadableFile, match="not UTF-8 text: save the file as UTF-8 CSV"):
        list(read_file_batches(_edge_files(tmp_path)["latin1_late"], rows=2))


@pytest.mark.parametrize("path", CORPUS_CSV + GOOD_CSV, ids=lambda p: p.name)
def test_a_file_prepared_in_batches_has_the_problems_and_rows_of_the_whole_file(path, tmp_path, monkeypatch):
    dataset = _dataset_of(path)
    whole = prepare_file(path, dataset, today=DAY)
    monkeypatch.setattr(readers, "BATCH_ROWS", 2)
    spill = tmp_path / "spill"
    batched = prepare_file(path, dataset, today=DAY, spill=spill)
    assert batched.problems == whole.problems
    assert batched.accepted == whole.accepted
    if not whole.accepted:
        assert not spill.exists() or not any(spill.iterdir()), "a rejected file leaves no rows behind"
        return
    assert batched.row_count == whole.row_count
    assert batched.rows is None and batched.rows_dir is not None and batched.rows_dir.parent == spill
    assert len(list(batched.rows_dir.iterdir())) == -(-whole.row_count // 2), "a part per batch"
    assert_frame_equal(row_parts.read(batched.rows_dir), whole.rows)


def test_problems_in_several_batches_are_all_reported_with_their_rows(tmp_path, monkeypatch):
    lines = [HEADER, *ROWS]
    lines[2] = lines[2].replace("Hungary", "Atlantis")  # data row 2: the first batch
    lines[7] = lines[7].replace(",106,", ",lots,")  # row 7: the fourth
    lines[11] = lines[11].replace("2024-11", "24-11")  # row 11: the sixth
    path = tmp_path / "oil.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = prepare_file(path, get_dataset("oil_imports"), today=DAY)
    monkeypatch.setattr(readers, "BATCH_ROWS", 2)
    spill = tmp_path / "spill"
    prepared = prepare_file(path, get_dataset("oil_imports"), today=DAY, spill=spill)
    assert not prepared.accepted and prepared.rows is None and prepared.rows_dir is None
    assert sorted((p.row, p.column, p.value) for p in prepared.problems) == [
        (2, "importer", "Atlantis"), (7, "volume_tonnes", "lots"), (11, "period", "24-11"),
    ]
    assert prepared.problems == whole.problems
    assert not any(spill.iterdir()), "the rows of a rejected file are removed"


def test_batches_parsed_side_by_side_come_back_in_order_with_their_problems(monkeypatch):
    import time

    from ingestion import prepare
    from ingestion.problems import ProblemList

    monkeypatch.setattr(prepare, "PARSERS", 2)

    def parse(batch: pl.DataFrame, found: ProblemList) -> pl.DataFrame:
        first = batch.get_column("n")[0]
        time.sleep(0.05 if first % 2 == 0 else 0)  # every other batch finishes after the one behind it
        found.add(f"batch {first}", check="test", row=first)
        return batch.with_columns(pl.col("n") * 10)

    problems = ProblemList("f.csv")
    batches = (pl.DataFrame({"n": [i, i + 1]}) for i in range(0, 12, 2))
    parsed = list(prepare.parsed_in_order(batches, parse, problems))
    assert pl.concat(parsed).get_column("n").to_list() == [n * 10 for n in range(12)]
    assert [p.reason for p in problems.singles] == [f"batch {i}" for i in range(0, 12, 2)]


def test_a_batch_that_fails_to_parse_raises_its_error():
    from ingestion.prepare import parsed_in_order
    from ingestion.problems import ProblemList

    def parse(batch: pl.DataFrame, found: ProblemList) -> pl.DataFrame:
        if batch.get_column("n")[0] == 4:
            raise ValueError("batch 4 is broken")
        return batch

    batches = (pl.DataFrame({"n": [i]}) for i in range(8))
    with pytest.raises(ValueError, match="batch 4 is broken"):
        list(parsed_in_order(batches, parse, ProblemList("f.csv")))
