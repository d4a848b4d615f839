-- typed by the loader (ingestion/warehouse_schema.py): nothing to rename or cast
select * from {{ source('meta', 'file_registry') }}
