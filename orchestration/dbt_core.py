"""A run that builds the models from compiled SQL leaves dbt-core out of its process.

dagster-dbt defines the dbt assets from the manifest. Where dbt-core is importable it imports all of
it (about 3 s here, more than the rest of a small ingest's Dagster run), although a run of the
compiled SQL (:mod:`orchestration.dbt_compiled`) never calls dbt in its process. Without dbt-core
(dagster-dbt's mode for the dbt Fusion engine) dagster-dbt reads the same manifest into the same
assets: every node of the manifest, which is what ``@dbt_assets`` selects by default
(tests/orchestration/test_dbt_core.py compares the two definitions). Should such a run fall back to
``dbt build``, dbt runs as a subprocess as it always does.
"""

from __future__ import annotations

import sys

#: The module dagster-dbt imports to find dbt-core (``dagster_dbt.compat``).
DBT_CORE_PROBE = "dbt.version"


def leave_out_dbt_core() -> bool:
    """Let this process's dagster-dbt work without dbt-core; False (nothing changed) once either is imported."""
    if "dagster_dbt" in sys.modules or DBT_CORE_PROBE in sys.modules:
        return False
    sys.modules[DBT_CORE_PROBE] = None  # type: ignore[assignment]  # Python's way to make an import fail
    return True
