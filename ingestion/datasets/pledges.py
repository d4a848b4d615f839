"""``pledges``: commitments of support to a recipient (Ukraine by default)."""

from ingestion.contracts import Column, Dataset, Money, Rule
from ingestion.datasets.common import DATE_PRECISION, DESCRIPTION, IS_PARTIAL, SOURCE_COLUMNS

CATEGORIES = (
    "military", "financial", "humanitarian", "personnel", "training",
    "security_guarantee", "non_military", "other",
)
STATUSES = ("announced", "committed", "allocated", "delivered", "withdrawn")

PLEDGES = Dataset(
    name="pledges",
    description="Commitments of support to a recipient (Ukraine by default).",
    columns=(
        Column("pledge_id", "text", description="the extract's own id, derived if absent"),
        Column("announced_on", "date", required=True, not_future=True),
        Column("donor", "country", required=True, groups=("bloc", "organisation", "region")),
        Column("recipient", "country", default="UKR"),
        Column("category", "enum", required=True, enum=CATEGORIES),
        Column("amount", "money", min_value=0),
        Column("currency", "currency"),
        Column("personnel", "integer", min_value=0),
        Column("status", "enum", default="announced", enum=STATUSES),
        DESCRIPTION,
        *SOURCE_COLUMNS,
        DATE_PRECISION,
        IS_PARTIAL,
    ),
    money=(Money("amount", "currency", "announced_on"),),
    rules=(
        Rule(
            "currency_with_amount", "currency", "a currency is required when amount is given",
            "amount is not null and currency is null", ("amount", "currency"),
        ),
    ),
    id_column="pledge_id",
    unique_in_file=("pledge_id",),
)
