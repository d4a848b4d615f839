"""``positions``: a country's stated stance on an issue."""

from ingestion.contracts import Column, Dataset
from ingestion.datasets.common import SOURCE_COLUMNS
from ingestion.issues import issue_names

#: The issues, from ``ingestion/reference/issues.csv`` (the one place they are listed).
ISSUES = issue_names()
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
