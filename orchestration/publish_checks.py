"""What a build must hold before it is published: every model, and every row its file registry says.

A build is published only when the loads, every dbt model and every blocking check succeeded; these
checks guard against what no step notices: a working copy that lost its models (e.g. two writers,
one of them building on an empty copy) or rows (a table emptied behind the loader's back).
"""

from __future__ import annotations

import duckdb

from ingestion.datasets import DATASETS
from orchestration.dbt_manifest import ensure_manifest


def expected_relations() -> set[tuple[str, str]]:
    """(schema, name) of every dbt model and seed, as the manifest places them."""
    import json

    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    return {
        (node["schema"], node.get("alias") or node["name"])
        for node in manifest["nodes"].values() if node["resource_type"] in ("model", "seed")
    }


def build_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Why the warehouse of ``con`` must not be published (empty when it is whole)."""
    present = set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                              "UNION ALL SELECT schema_name, view_name FROM duckdb_views()").fetchall())
    problems = [f"{schema}.{name} is missing" for schema, name in sorted(expected_relations() - present)]
    registered = con.execute(
        "SELECT dataset, source_file, row_count FROM meta.file_registry ORDER BY dataset, source_file").fetchall()
    counts: dict[str, dict[str, int]] = {}
    for dataset in {d for d, _, _ in registered}:
        if dataset in DATASETS and ("raw", dataset) in present:
            counts[dataset] = dict(con.execute(
                f"SELECT source_file, count(*) FROM raw.{dataset} GROUP BY source_file").fetchall())
    for dataset, source_file, row_count in registered:
        loaded = counts.get(dataset, {}).get(source_file, 0)
        if loaded != row_count:
            problems.append(f"raw.{dataset} holds {loaded} rows of {source_file}, its registry says {row_count}")
    return problems
