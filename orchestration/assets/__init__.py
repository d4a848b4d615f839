"""Dagster assets, grouped by layer: ingest → dbt staging/intermediate/marts → publish."""
