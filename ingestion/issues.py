"""The issues the warehouse tracks, one place: ``ingestion/reference/issues.csv``.

The ``issue`` enum of the ``positions`` contract, the ``ref.issues`` table (and from it the
country × issue grid and the scorecard's stance columns) all come from this file. EXTRACTS.md
names the first seven; the others were added where a figure or a source needed an issue of
its own (each row says why).
"""

from __future__ import annotations

import csv
from functools import cache

from ingestion.normalize.countries import REFERENCE_DIR

ISSUES_FILE = REFERENCE_DIR / "issues.csv"
COLUMNS = ("issue", "label", "description", "source")


@cache
def issue_rows() -> tuple[dict[str, str], ...]:
    """Every issue with its label, description and source, in the file's order."""
    with ISSUES_FILE.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{ISSUES_FILE.name}: columns {reader.fieldnames}, expected {list(COLUMNS)}")
        rows = tuple(reader)
    issues = [r["issue"] for r in rows]
    if len(set(issues)) != len(issues) or any(not i or not i.isidentifier() for i in issues):
        raise ValueError(f"{ISSUES_FILE.name}: issues must be unique lower-case identifiers: {issues}")
    return rows


def issue_names() -> tuple[str, ...]:
    """The issue codes, in the file's order."""
    return tuple(r["issue"] for r in issue_rows())
