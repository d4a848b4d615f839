-- typed by the loader's DDL (ingestion/warehouse_schema.py): nothing to rename or cast
select * from {{ source('meta', 'source_releases') }}
