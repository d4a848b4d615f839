"""Commands that only read answer at once: query, status, sources and validate import neither Dagster, dbt nor
Great Expectations (each costs seconds to import); only a command that starts a run pays for them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingestion.home import Home

REPO = Path(__file__).resolve().parent.parent.parent
HEAVY = ("dagster", "dagster_dbt", "dbt", "great_expectations", "sqlalchemy")


def imported_heavy(argv: list[str]) -> tuple[int, list[str]]:
    """The exit code of ``pledgewatch argv`` in a fresh interpreter, and the heavy packages it imported."""
    script = (
        "import json, sys\n"
        "from orchestration.cli import main\n"
        f"code = main({argv!r})\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "print(json.dumps([code, heavy]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    code, heavy = json.loads(result.stdout.strip().splitlines()[-1])
    return code, heavy


@pytest.mark.parametrize("command", [["query", "select 1"], ["status"], ["sources"], ["validate", "{extract}"]],
                         ids=["query", "status", "sources", "validate"])
def test_read_only_commands_import_no_orchestration_or_validation_framework(built_home: Home, tmp_path: Path,
                                                                           command: list[str]):
    extract = tmp_path / "pledges" / "synthetic_light.csv"
    extract.parent.mkdir()
    extract.write_text("pledge_id,announced_on,donor,category,amount,currency,source_name\n"
                       "L-1,2025-09-04,Germany,military,1000,EUR,synthetic test fixture\n", encoding="utf-8")
    argv = ["--home", str(built_home.root), *[str(extract) if a == "{extract}" else a for a in command]]
    code, heavy = imported_heavy(argv)
    assert code == 0
    assert heavy == []
