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
