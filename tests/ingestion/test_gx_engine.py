"""Tests of the GE engine (ingestion/validation/gx_engine.py): an expectation that cannot run never passes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from ingestion.contracts import Column, Dataset, Rule
from ingestion.validation.gx_engine import validate_frame


def test_an_expectation_whose_query_cannot_run_raises_instead_of_passing(tmp_path):
    dataset = Dataset(name="gate_probe", description="probe", columns=(Column("code", "text"),))
    rows = pl.DataFrame({"source_row": [1, 2], "code": ["1234567", "x"]})
    good = replace(dataset, rules=(Rule("seven_digits", "code", "7 digits",
                                        "not regexp_full_match(code, '[0-9][0-9][0-9][0-9][0-9][0-9][0-9]')",
                                        ("code",)),))
    outcomes = validate_frame(rows, good, gx_dir=tmp_path / "gx", today=date(2026, 1, 1))
    seven = next(o for o in outcomes if o.check == "seven_digits")
    assert (seven.success, seven.unexpected_count, [r[0] for r in seven.rows]) == (False, 1, [2])
    # a regex quantifier {7} is read by Great Expectations as a placeholder: the metric fails
    broken = replace(dataset, rules=(Rule("seven_digits", "code", "7 digits",
                                          "not regexp_full_match(code, '[0-9]{7}')", ("code",)),))
    with pytest.raises(RuntimeError, match="could not run"):
        validate_frame(rows, broken, gx_dir=tmp_path / "gx2", today=date(2026, 1, 1))
