"""``positions``: a country's stated stance on an issue."""

from ingestion.contracts import Column, Dataset
from ingestion.datasets.common import SOURCE_COLUMNS

ISSUES = (
    "troop_deployment", "peacekeeping_force", "nato_membership_for_ukraine", "military_aid",
    "sanctions_on_russia", "russian_oil_purchases", "security_guarantees",
)
STANCES = ("support", "conditional", "limited", "undecided", "oppose")

POSITIONS = Dataset(
    name="positions",
    description="A country's (or bloc's) stated stance on an issue.",
    columns=(
        Column("stated_on", "date", required=True, not_future=True),
        Column("country", "country", required=True, groups=("bloc", "organisation", "region")),
        Column("issue", "enum", required=True, enum=ISSUES),
        Column("stance", "enum", required=True, enum=STANCES),
        Column("actor", "text"),
        Column("summary", "text"),
        *SOURCE_COLUMNS,
    ),
)
