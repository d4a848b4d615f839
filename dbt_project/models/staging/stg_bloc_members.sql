-- typed by the loader (ingestion/warehouse_schema.py, from ingestion/reference/): nothing to rename or cast
select * from {{ source('ref', 'bloc_members') }}
