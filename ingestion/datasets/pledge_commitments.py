"""``pledge_commitments``: a donor's commitments and not-yet-allocated amounts per month.

Not an extract dataset (EXTRACTS.md has none): only publisher releases carry it, the
``kiel-ust`` format (SOURCES.md: ``commitments`` and ``to_be_allocated``, per donor and month).
"""

from ingestion.contracts import Column, Dataset, Money
from ingestion.datasets.common import IS_PARTIAL, SOURCE_COLUMNS

PLEDGE_COMMITMENTS = Dataset(
    name="pledge_commitments",
    description="A donor's commitments and commitments not yet allocated, per month (Kiel's release).",
    columns=(
        Column("donor", "country", required=True, groups=("bloc", "organisation", "region")),
        Column("recipient", "country", default="UKR"),
        Column("period", "month", required=True, not_future=True),
        Column("commitments", "money", description="commitments made in the month"),
        Column("to_be_allocated", "money",
               description="signed change of commitments not yet allocated (negative when earlier ones are allocated)"),
        Column("currency", "currency", required=True),
        *SOURCE_COLUMNS,
        IS_PARTIAL,
    ),
    money=(Money("commitments", "currency", "period"), Money("to_be_allocated", "currency", "period")),
)
