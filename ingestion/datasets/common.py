"""Columns shared by several datasets."""

from ingestion.contracts import Column

SOURCE_COLUMNS = (
    Column("source_url", "url", description="http(s) URL of the source"),
    Column("source_name", "text", description="name of the source"),
)
DESCRIPTION = Column("description", "text")

#: How precise a row's date is: ``day`` for extracts (EXTRACTS.md dates are days); a publisher that
#: gives months, years or fiscal years only says so, and figures name the period, not a made-up day.
DATE_PRECISIONS = ("day", "month", "year", "fiscal_year")
DATE_PRECISION = Column(
    "date_precision", "enum", default="day", enum=DATE_PRECISIONS, derived=True,
    description="how precise the row's date is: day, month, year or fiscal_year (the date is then the "
    "period's first day, not the day it happened)",
)
#: A period the source has not finished reporting (a release's last month or fiscal year).
IS_PARTIAL = Column(
    "is_partial", "boolean", derived=True,
    description="true where the row's period is one the source had not finished reporting (e.g. a release's "
    "last month or fiscal year): kept out of 'latest full period' figures; null for extracts (not known)",
)
