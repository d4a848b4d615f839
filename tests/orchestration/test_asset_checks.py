"""The Great Expectations suite as Dagster asset checks on the rows committed in a run."""

from __future__ import annotations

from datetime import date

from dagster import AssetKey

from ingestion.datasets import get_dataset
from ingestion.prepare import prepare_file
from orchestration.assets.ingest import check_results, suite_check_specs

HEADER = "pledge_id,announced_on,donor,category,amount,currency,source_name\n"


def outcomes_of(tmp_path, name: str, body: str):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    prepared = prepare_file(path, get_dataset("pledges"), today=date(2025, 10, 1))
    return prepared.outcomes


def test_check_results_carry_unexpected_counts_and_a_sample(tmp_path):
    bad = outcomes_of(tmp_path, "bad.csv", "p1,2025-09-04,Germany,military,-5,EUR,synthetic\n"
                                           "p2,2025-09-04,France,military,7,EUR,synthetic\n")

    results = {r.check_name: r for r in check_results(get_dataset("pledges"), {"raw/pledges/bad.csv": bad})}

    failed = results["gx_min_value_amount"]
    assert failed.passed is False
    assert failed.metadata["unexpected_count"].value == 1
    assert failed.metadata["unexpected_sample"].value == [
        {"source_file": "raw/pledges/bad.csv", "source_row": 1, "value": "-5.0"}]
    assert results["gx_required_donor"].passed is True
    assert sum(not r.passed for r in results.values()) == 1


def test_a_check_fails_when_any_committed_file_fails_it_and_counts_add_up(tmp_path):
    good = outcomes_of(tmp_path, "good.csv", "p1,2025-09-04,Germany,military,5,EUR,synthetic\n")
    bad = outcomes_of(tmp_path, "bad.csv", "p1,2025-09-04,Germany,military,-5,EUR,synthetic\n"
                                           "p2,2025-09-04,France,military,-7,EUR,synthetic\n")

    results = {r.check_name: r for r in check_results(
        get_dataset("pledges"), {"raw/pledges/good.csv": good, "raw/pledges/bad.csv": bad})}

    assert results["gx_min_value_amount"].passed is False
    assert results["gx_min_value_amount"].metadata["unexpected_count"].value == 2
    assert results["gx_min_value_amount"].metadata["files_checked"].value == [
        "raw/pledges/bad.csv", "raw/pledges/good.csv"]


def test_every_declared_check_has_a_result_even_when_nothing_was_committed():
    dataset = get_dataset("pledges")
    results = check_results(dataset, {})
    declared = {spec.name for spec in suite_check_specs(dataset, AssetKey(["raw", "pledges"]))}
    assert {r.check_name for r in results} == declared
    assert all(r.passed and r.metadata["unexpected_count"].value == 0 for r in results)
