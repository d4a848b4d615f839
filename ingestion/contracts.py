"""Declarative description of the extract datasets of EXTRACTS.md.

A dataset is one :class:`Dataset`: its columns with their types and rules, the
money columns to convert, the id to derive and the cross-column rules. Readers,
normalisers, validation and the loader all work from this description, so a
new dataset is one new module in ``ingestion/datasets/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import polars as pl

ColumnType = Literal[
    "text", "date", "month", "country", "enum", "money", "currency", "integer", "decimal", "url", "boolean"
]

#: DuckDB type of each contract column type once normalised.
SQL_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "date": "DATE",
    "month": "DATE",
    "country": "VARCHAR",
    "enum": "VARCHAR",
    "money": "DOUBLE",
    "currency": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DOUBLE",
    "url": "VARCHAR",
    "boolean": "BOOLEAN",
}

#: Polars dtype of each contract column type once normalised.
POLARS_TYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "date": pl.Date(),
    "month": pl.Date(),
    "country": pl.String(),
    "enum": pl.String(),
    "money": pl.Float64(),
    "currency": pl.String(),
    "integer": pl.Int64(),
    "decimal": pl.Float64(),
    "url": pl.String(),
    "boolean": pl.Boolean(),
}

#: Provenance columns carried by every loaded row, in this order.
#:
#: - ``load_row``: the row's position among the rows loaded from its file; with ``source_file``, its key.
#: - ``source_row``: where the row is in its file: an extract's record number (EXTRACTS.md: the header
#:   is not counted), a publisher file's own line number (the header is line 1); null where the row
#:   sums several publisher lines (then ``source_rows`` lists them).
#: - ``source_rows``: publisher files only: every line behind the row (``7``, ``7-9``, ``7;12;40``).
#: - ``source_extra``: an extract's columns the contract does not know, as JSON.
PROVENANCE_COLUMNS: dict[str, str] = {
    "source_file": "VARCHAR",
    "source_sha256": "VARCHAR",
    "load_row": "BIGINT",
    "source_row": "BIGINT",
    "source_rows": "VARCHAR",
    "source_extra": "VARCHAR",
    "ingest_seq": "BIGINT",
    "loaded_at": "TIMESTAMP",
}


@dataclass(frozen=True)
class Column:
    """One contract column: its type and the rules on its own value."""

    name: str
    type: ColumnType
    required: bool = False
    default: str | None = None
    enum: tuple[str, ...] = ()
    #: for ``country``: which kinds of entity are accepted besides countries.
    groups: tuple[str, ...] = ()
    min_value: float | None = None
    int_range: tuple[int, int] | None = None
    #: for dates: reject values more than 31 days after today.
    not_future: bool = False
    description: str = ""
    #: filled by publisher mappings only (e.g. ``is_partial``): never read from an extract's header,
    #: where a column of that name is an unknown column like any other.
    derived: bool = False


@dataclass(frozen=True)
class Money:
    """A money column, its currency column and the date its rate is taken on."""

    amount: str
    currency: str
    rate_date: str


@dataclass(frozen=True)
class Rule:
    """A rule between columns: ``violated_when`` is a SQL condition true on rows that break it.

    ``column`` names the column reported, ``reason`` the human explanation, ``uses`` every
    column the condition reads (a row whose value in one of them did not parse is not
    reported again here).
    """

    name: str
    column: str
    reason: str
    violated_when: str
    uses: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    """A dataset of the extract contract."""

    name: str
    description: str
    columns: tuple[Column, ...]
    money: tuple[Money, ...] = ()
    rules: tuple[Rule, ...] = ()
    #: a column that is the extract's own id, derived from the row when absent.
    id_column: str | None = None
    #: the id must be unique within one file.
    unique_in_file: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        """Contract column names in declaration order."""
        return [c.name for c in self.columns]

    @property
    def extract_columns(self) -> list[str]:
        """Columns an extract's header may name (every column but the derived ones)."""
        return [c.name for c in self.columns if not c.derived]

    @property
    def required_columns(self) -> list[str]:
        """Columns that must be present in the file's header."""
        return [c.name for c in self.columns if c.required]

    def table_columns(self) -> dict[str, str]:
        """Columns of the loaded table ``raw.<name>`` with their DuckDB types."""
        cols: dict[str, str] = {}
        for col in self.columns:
            cols[col.name] = SQL_TYPES[col.type]
            for money in self.money:
                if money.amount == col.name:
                    cols[f"{col.name}_eur"] = "DOUBLE"
                    cols[f"{col.name}_usd"] = "DOUBLE"
        if self.money:
            cols["conversion_note"] = "VARCHAR"
        if self.id_column:
            cols[f"{self.id_column}_derived"] = "BOOLEAN"
        cols.update(PROVENANCE_COLUMNS)
        return cols

    def create_table_sql(self, schema: str = "raw") -> str:
        """``CREATE TABLE IF NOT EXISTS`` statement of the loaded table."""
        body = ",\n  ".join(f"{name} {sql_type}" for name, sql_type in self.table_columns().items())
        return f"CREATE TABLE IF NOT EXISTS {schema}.{self.name} (\n  {body}\n)"
