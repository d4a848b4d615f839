"""dagster-dbt without dbt-core in the process (orchestration/dbt_core.py) defines the same dbt assets."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

#: Prints everything the UI and a run see of the dbt assets, as JSON; argv[1] == "without" leaves dbt-core out.
SNAPSHOT = """
import json, sys
from orchestration.dbt_core import leave_out_dbt_core
if sys.argv[1] == "without":
    assert leave_out_dbt_core()
from orchestration.assets.dbt import pledgewatch_dbt_models as assets
name = lambda key: key.to_user_string()
print(json.dumps({
    "keys": sorted(map(name, assets.keys)),
    "deps": {name(k): sorted(map(name, v)) for k, v in assets.asset_deps.items()},
    "groups": {name(k): v for k, v in assets.group_names_by_key.items()},
    "descriptions": {name(k): v for k, v in assets.descriptions_by_key.items()},
    "metadata": {name(s.key): sorted(s.metadata) for s in assets.specs},
    "tags": {name(s.key): s.tags for s in assets.specs},
    "kinds": {name(s.key): sorted(s.kinds) for s in assets.specs},
    "checks": sorted([name(c.key), c.description or "", c.blocking] for c in assets.check_specs),
    "dbt_modules": sorted(m for m in sys.modules if m.split(".")[0] == "dbt" and sys.modules[m] is not None),
}, sort_keys=True, default=str))
"""


def snapshot(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", SNAPSHOT, mode], cwd=REPO, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def test_without_dbt_core_the_dbt_assets_are_the_same():
    with_core, without = snapshot("with"), snapshot("without")
    assert with_core.pop("dbt_modules"), "dagster-dbt did not import dbt-core in the ordinary process"
    assert without.pop("dbt_modules") == []
    assert len(with_core["keys"]) > 40 and len(with_core["checks"]) > 200
    assert without == with_core


def test_an_ingest_whose_compiled_sql_cannot_run_builds_with_dbt_in_a_process_without_dbt_core(built_home, tmp_path):
    """The CLI's own process leaves dbt-core out; when the compiled build cannot serve (a model's table is
    missing), the run builds with dbt as a subprocess, and the missing mart is back with the new rows."""
    import duckdb

    from tests.conftest import copy_home, query_home

    home = copy_home(built_home, tmp_path / "home")
    con = duckdb.connect(str(home.warehouse))
    con.execute("DROP TABLE marts.country_scorecard")
    con.close()
    extract = tmp_path / "synthetic_pledges_fallback.csv"
    extract.write_text("pledge_id,announced_on,donor,category,amount,currency,status,source_name\n"
                       "fallback-1,2025-09-01,Germany,military,100m,EUR,committed,synthetic test fixture\n",
                       encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", "--home", str(home.root), "ingest",
                           str(extract), "--dataset", "pledges"], cwd=REPO, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert query_home(home, "SELECT count(*) FROM marts.country_scorecard")[0][0] > 0
    assert query_home(home, "SELECT count(*) FROM marts.fct_pledges WHERE pledge_id = 'fallback-1'") == [(1,)]
