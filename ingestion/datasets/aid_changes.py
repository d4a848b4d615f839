"""``aid_changes``: a change to an aid or assistance programme."""

import polars as pl

from ingestion.contracts import Column, Dataset, Money, Rule
from ingestion.datasets.common import DESCRIPTION, SOURCE_COLUMNS

AID_TYPES = ("security", "military", "economic", "humanitarian", "training", "all")
CHANGES = ("new", "increase", "decrease", "suspension", "termination")
NEGATIVE_CHANGES = ("decrease", "suspension", "termination")

AID_CHANGES = Dataset(
    name="aid_changes",
    description="A change to an aid or assistance programme.",
    columns=(
        Column("announced_on", "date", required=True, not_future=True),
        Column("effective_on", "date"),
        Column("donor", "country", required=True, groups=("bloc", "organisation", "region")),
        Column("recipient", "country", required=True, groups=("bloc", "organisation", "region")),
        Column("programme", "text", required=True),
        Column("aid_type", "enum", required=True, enum=AID_TYPES),
        Column("change", "enum", required=True, enum=CHANGES),
        Column("amount_change", "money"),
        Column("currency", "currency"),
        Column("fiscal_year", "integer", int_range=(1900, 2100)),
        DESCRIPTION,
        *SOURCE_COLUMNS,
    ),
    money=(Money("amount_change", "currency", "announced_on"),),
    rules=(
        Rule(
            "currency_with_amount", "currency", "a currency is required when amount_change is given",
            lambda: pl.col("amount_change").is_not_null() & pl.col("currency").is_null(),
        ),
        Rule(
            "sign_agrees_with_change", "amount_change",
            "amount_change must be negative for decrease/suspension/termination "
            "and positive for new/increase",
            lambda: pl.when(pl.col("change").is_in(NEGATIVE_CHANGES))
            .then(pl.col("amount_change") >= 0)
            .otherwise(pl.col("amount_change") <= 0)
            .fill_null(False),
        ),
        Rule(
            "effective_not_a_year_early", "effective_on",
            "effective_on may not be more than one year before announced_on",
            lambda: (pl.col("effective_on") < pl.col("announced_on").dt.offset_by("-1y")).fill_null(False),
        ),
    ),
)
