-- typed by the loader from the contract (ingestion/datasets/oil_imports.py): nothing to rename or cast
select * from {{ source('raw', 'oil_imports') }}
