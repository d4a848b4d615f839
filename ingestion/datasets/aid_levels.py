"""``aid_levels``: aid obligated or disbursed per donor, recipient and fiscal year (levels, not changes).

Not an extract dataset (EXTRACTS.md has none): only publisher releases carry it, the
``us-foreign-assistance`` format (ForeignAssistance.gov: ``Obligations`` and ``Disbursements`` per
recipient and fiscal year). It answers "has it arrived?" in one query: obligated vs disbursed per
year, without reading the text of ``aid_changes``. Amounts stay in the publisher's currency (USD):
a year's sum has no single day whose exchange rate would convert it honestly.
"""

from ingestion.contracts import Column, Dataset, Rule
from ingestion.datasets.common import IS_PARTIAL, SOURCE_COLUMNS

MEASURES = ("obligations", "disbursements")

AID_LEVELS = Dataset(
    name="aid_levels",
    description="Aid obligated or disbursed per donor, recipient and fiscal year, in the publisher's currency.",
    columns=(
        Column("donor", "country", required=True, groups=("bloc", "organisation", "region")),
        Column("recipient", "country", required=True, groups=("bloc", "organisation", "region")),
        Column("fiscal_year", "integer", required=True, int_range=(1900, 2100),
               description="the donor's fiscal year (US: 1 October of the year before to 30 September)"),
        Column("period_from", "date", required=True, description="the fiscal year's first day"),
        Column("period_to", "date", required=True, description="the fiscal year's last day"),
        Column("measure", "enum", required=True, enum=MEASURES,
               description="obligations (legally committed) or disbursements (paid out)"),
        Column("amount", "decimal", required=True,
               description="the year's sum; negative where deobligations exceed new obligations"),
        Column("currency", "currency", required=True),
        *SOURCE_COLUMNS,
        IS_PARTIAL,
    ),
    rules=(
        Rule("period_in_order", "period_to", "period_to is before period_from", "period_to < period_from",
             ("period_from", "period_to")),
    ),
)
