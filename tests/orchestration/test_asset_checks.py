"""The Great Expectations suite as Dagster asset checks on committed rows."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb

from ingestion.datasets import get_dataset
from ingestion.home import Home
from ingestion.validation.gate import validate_table
from orchestration.assets.ingest import check_results


def copy_with_negative_pledge(built_home: Home, tmp_path, source_file: str):
    """A copy of the built warehouse with one committed pledge row that breaks ``amount >= 0``."""
    database = tmp_path / "copy.duckdb"
    shutil.copyfile(built_home.warehouse, database)
    con = duckdb.connect(str(database))
    con.execute(
        "INSERT INTO raw.pledges (pledge_id, announced_on, donor, recipient, category, amount, currency, status, "
        "source_file, source_row) VALUES ('x', DATE '2025-09-04', 'DEU', 'UKR', 'military', -5, 'EUR', "
        "'announced', ?, 1)", [source_file],
    )
    con.close()
    return database


def test_check_results_carry_unexpected_counts_and_a_sample(built_home: Home, tmp_path):
    database = copy_with_negative_pledge(built_home, tmp_path, "raw/pledges/injected.csv")

    outcomes = validate_table(database, get_dataset("pledges"), gx_dir=tmp_path / "gx", today=date(2025, 10, 1),
                              source_files=["raw/pledges/injected.csv"])

    results = {r.check_name: r for r in check_results(outcomes)}
    failed = results["gx_min_value_amount"]
    assert failed.passed is False
    assert failed.metadata["unexpected_count"].value == 1
    assert failed.metadata["unexpected_sample"].value == [{"source_row": 1, "value": "-5.0"}]
    assert results["gx_required_donor"].passed is True
    assert sum(not r.passed for r in results.values()) == 1
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE schema_name = 'validation'").fetchone()[0] == 0
    con.close()


def test_only_the_rows_of_the_given_files_are_checked(built_home: Home, tmp_path):
    database = copy_with_negative_pledge(built_home, tmp_path, "raw/pledges/older.csv")
    seed = ["raw/pledges/seed_coalition_summit_2025-09-04.csv"]
    outcomes = validate_table(database, get_dataset("pledges"), gx_dir=tmp_path / "gx", today=date(2025, 10, 1),
                              source_files=seed)
    assert all(o.success for o in outcomes)
