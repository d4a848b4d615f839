"""Reviewed lookup tables of a publisher's codes (a regime, a list type) → the target country, checked when read.

A table is a CSV in ``ingestion/reference/``: a key column (the publisher's value as it writes
it), optional further columns, ``target`` (an ISO 3166-1 alpha-3 code, or empty where the
regime targets no country: a worldwide or non-state regime, said so in ``source``) and
``source`` (why, with an address). Keys are matched on their :func:`~ingestion.normalize.names.name_key`
(case, accents, punctuation and spacing ignored), so ``Venezuela `` finds ``Venezuela``.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ingestion.normalize import countries
from ingestion.normalize.names import name_key

#: the column holding the matching key of a table's key column.
KEY = "_key"


def read_lookup(path: Path, key: str, columns: tuple[str, ...]) -> pl.DataFrame:
    """The table at ``path`` (exactly ``columns``, ``key`` first) with ``_key``; raises if it is inconsistent."""
    table = pl.read_csv(path, infer_schema=False, encoding="utf8").with_columns(
        pl.all().str.strip_chars().replace("", None))
    problems: list[str] = []
    if tuple(table.columns) != columns:
        problems.append(f"columns {table.columns}, expected {list(columns)}")
    else:
        table = table.with_columns(name_key(pl.col(key)).alias(KEY))
        for column in columns:
            if column != "target" and table.get_column(column).is_null().any():
                problems.append(f"a row has no {column}")
        repeated = table.filter(pl.col(KEY).is_duplicated()).get_column(key).unique().sort().to_list()
        if repeated:
            problems.append(f"{key}(s) listed twice (or differing only in case, accents or punctuation): "
                            f"{', '.join(repeated)}")
        targets = table.get_column("target").drop_nulls().unique()
        resolved = countries.resolve(targets, ("country",))
        bad = resolved.filter(pl.col("code").is_null() | (pl.col("code") != pl.col("value"))).get_column("value")
        if bad.len():
            problems.append(f"target(s) that are not ISO alpha-3 country codes: {', '.join(sorted(bad.to_list()))}")
    if problems:
        raise countries.ReferenceDataError(f"{path.name}: " + "; ".join(problems))
    return table
