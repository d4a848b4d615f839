-- typed by the loader (ingestion/warehouse_schema.py, from ingestion/reference/issues.csv): nothing to rename or cast
select * from {{ source('ref', 'issues') }}
