"""``oil_imports``: imports of Russian-origin oil by an importing country."""

from ingestion.contracts import Column, Dataset, Money, Rule
from ingestion.datasets.common import IS_PARTIAL, SOURCE_COLUMNS

ROUTES = ("pipeline", "seaborne", "via_third_country", "unspecified")
PRODUCTS = ("crude", "refined", "oil", "lng", "pipeline_gas", "gas", "coal")

OIL_IMPORTS = Dataset(
    name="oil_imports",
    description="Imports of Russian-origin oil (and gas, coal) by an importing country.",
    columns=(
        Column("period", "month", required=True, not_future=True),
        Column("importer", "country", required=True, groups=("bloc", "aggregate")),
        Column("origin", "country", default="RUS"),
        Column("route", "enum", required=True, enum=ROUTES),
        Column("via_country", "country"),
        Column("product", "enum", required=True, enum=PRODUCTS),
        Column("volume_tonnes", "decimal", min_value=0),
        Column("value", "money", min_value=0),
        Column("currency", "currency"),
        *SOURCE_COLUMNS,
        IS_PARTIAL,
    ),
    money=(Money("value", "currency", "period"),),
    rules=(
        Rule(
            "via_country_required", "via_country",
            "via_country is required when route is via_third_country",
            "route = 'via_third_country' and via_country is null", ("route", "via_country"),
        ),
        Rule(
            "via_country_only_via_route", "via_country",
            "via_country is only allowed when route is via_third_country",
            "route <> 'via_third_country' and via_country is not null", ("route", "via_country"),
        ),
        Rule(
            "volume_or_value", "volume_tonnes",
            "at least one of volume_tonnes and value is required",
            "volume_tonnes is null and value is null", ("volume_tonnes", "value"),
        ),
        Rule(
            "currency_with_value", "currency", "a currency is required when value is given",
            "value is not null and currency is null", ("value", "currency"),
        ),
    ),
)
