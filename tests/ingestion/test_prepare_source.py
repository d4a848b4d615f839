"""Publisher files are mapped, normalised and validated; bad rows are skipped and reported, not the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingestion.prepare_source import prepare_source
from ingestion.sources import get_source
from ingestion.sources.base import SourceOptions

HEADER = "country,iso,year,month,total,financial,humanitarian,military,commitments,to_be_allocated,gdp,pct_gdp\n"
TODAY = date(2026, 11, 25)


def kiel(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "synthetic_data_explorer.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def prepare(path: Path, tmp_path: Path, **kwargs):
    return prepare_source(path, "kiel-ust", SourceOptions(), today=TODAY, **kwargs)


def test_rows_map_to_pledges_and_commitments_with_their_publisher_rows(tmp_path):
    path = kiel(tmp_path, "Germany,DEU,2022,3,0.5,0,0.2,0.3,0.6,0.1,1,1",
                "France,FRA,2022,4,0.1,0.1,0,0,0.1,0,1,1")
    prepared = prepare(path, tmp_path)
    assert prepared.accepted and prepared.skipped == []
    rows = prepared.rows.sort("pledge_id")
    assert rows.get_column("pledge_id").to_list() == [
        "kiel-ust:DEU:2022-03:humanitarian", "kiel-ust:DEU:2022-03:military", "kiel-ust:FRA:2022-04:financial"]
    assert rows.get_column("amount_eur").to_list() == pytest.approx([2e8, 3e8, 1e8])
    # source_row is the publisher's own line (the header is line 1); load_row numbers the loaded rows
    assert rows.get_column("source_row").to_list() == [2, 2, 3]
    assert rows.get_column("source_rows").to_list() == ["2", "2", "3"]
    assert sorted(rows.get_column("load_row").to_list()) == [1, 2, 3]
    assert rows.get_column("source_extra").null_count() == rows.height
    # every row cites an address: the format's documented page where the file was not pulled
    assert set(rows.get_column("source_url")) == {get_source("kiel-ust").url_of(SourceOptions())}
    side = prepared.side["pledge_commitments"].sort("donor")
    assert side.get_column("to_be_allocated_eur").to_list() == pytest.approx([1e8, 0.0])


def test_a_row_that_fails_validation_is_skipped_with_its_publisher_row_and_the_rest_loads(tmp_path):
    path = kiel(tmp_path, "Germany,DEU,2022,3,0.3,0,0,0.3,0.3,0,1,1",
                "Germany,DEU,2099,3,0.3,0,0,0.3,0.3,0,1,1")  # a month in the future breaks the contract
    prepared = prepare(path, tmp_path)
    assert prepared.accepted
    assert prepared.rows.height == 1
    assert {(p.row, p.column) for p in prepared.skipped} >= {(3, "announced_on")}  # line 3 of the file
    assert all(p.file.endswith("synthetic_data_explorer.csv") for p in prepared.skipped)
    # the checks describe the rows kept, so they pass
    assert all(o.success for o in prepared.outcomes)


def test_strict_turns_any_skipped_row_into_a_rejection(tmp_path):
    path = kiel(tmp_path, "Germany,DEU,2022,3,0.3,0,0,0.3,0.3,0,1,1", "Nowhere,XXQ,2022,3,0.3,0,0,0.3,0.3,0,1,1")
    lenient = prepare(path, tmp_path)
    assert lenient.accepted and [p.row for p in lenient.skipped] == [3]
    strict = prepare(path, tmp_path, strict=True)
    assert not strict.accepted and strict.rows is None
    assert [(p.row, p.value) for p in strict.problems] == [(3, "XXQ")]


def test_a_file_missing_a_format_column_is_rejected_whole(tmp_path):
    path = tmp_path / "data_explorer.csv"
    path.write_text("country,iso,year,month,total\nGermany,DEU,2022,3,1\n", encoding="utf-8")
    prepared = prepare(path, tmp_path)
    assert not prepared.accepted
    assert prepared.problems[0].reason.startswith("not a kiel-ust file: column(s) missing from the header: ")
    assert "to_be_allocated" in prepared.problems[0].reason


def test_a_file_whose_every_row_is_skipped_is_rejected(tmp_path):
    path = kiel(tmp_path, "Nowhere,XXQ,2022,3,0.3,0,0,0.3,0.3,0,1,1")
    prepared = prepare(path, tmp_path)
    assert not prepared.accepted
    assert "no row of the file could be mapped" in prepared.problems[0].reason
