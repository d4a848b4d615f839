"""``aid_changes``: a change to an aid or assistance programme."""

from ingestion.contracts import Column, Dataset, Money, Rule
from ingestion.datasets.common import DATE_PRECISION, DESCRIPTION, IS_PARTIAL, SOURCE_COLUMNS

AID_TYPES = ("security", "military", "economic", "humanitarian", "training", "all")
CHANGES = ("new", "increase", "decrease", "suspension", "termination")
NEGATIVE_CHANGES = ("decrease", "suspension", "termination")


def _sql_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"

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
        DATE_PRECISION,
        IS_PARTIAL,
    ),
    money=(Money("amount_change", "currency", "announced_on"),),
    rules=(
        Rule(
            "currency_with_amount", "currency", "a currency is required when amount_change is given",
            "amount_change is not null and currency is null", ("amount_change", "currency"),
        ),
        Rule(
            "sign_agrees_with_change", "amount_change",
            "amount_change must be negative for decrease/suspension/termination "
            "and positive for new/increase",
            f"(change in {_sql_list(NEGATIVE_CHANGES)} and amount_change >= 0) "
            f"or (change not in {_sql_list(NEGATIVE_CHANGES)} and amount_change <= 0)",
            ("change", "amount_change"),
        ),
        Rule(
            "effective_not_a_year_early", "effective_on",
            "effective_on may not be more than one year before announced_on",
            "effective_on < announced_on - interval 1 year", ("effective_on", "announced_on"),
        ),
    ),
)
