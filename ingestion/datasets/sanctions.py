"""``sanctions``: a sanctions measure adopted, proposed or threatened."""

from ingestion.contracts import Column, Dataset
from ingestion.datasets.common import DATE_PRECISION, DESCRIPTION, SOURCE_COLUMNS

MEASURE_TYPES = (
    "asset_freeze", "import_ban", "export_ban", "price_cap", "secondary_sanctions", "tariff",
    "travel_ban", "financial", "other",
)
STATUSES = ("threatened", "proposed", "adopted", "in_force", "lifted")

SANCTIONS = Dataset(
    name="sanctions",
    description="A sanctions measure adopted, proposed or threatened.",
    columns=(
        Column("measure_id", "text", description="the extract's own id, derived if absent"),
        Column("announced_on", "date", required=True, not_future=True),
        Column("imposed_by", "country", required=True, groups=("bloc", "organisation", "region")),
        Column("target", "country", default="RUS"),
        Column("measure_type", "enum", required=True, enum=MEASURE_TYPES),
        Column("sector", "text"),
        Column("status", "enum", required=True, enum=STATUSES),
        DESCRIPTION,
        *SOURCE_COLUMNS,
        DATE_PRECISION,
    ),
    id_column="measure_id",
    unique_in_file=("measure_id",),
)
