"""Columns shared by several datasets."""

from ingestion.contracts import Column

SOURCE_COLUMNS = (
    Column("source_url", "url", description="http(s) URL of the source"),
    Column("source_name", "text", description="name of the source"),
)
DESCRIPTION = Column("description", "text")
