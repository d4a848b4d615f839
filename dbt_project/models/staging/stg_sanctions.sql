-- typed by the loader from the contract (ingestion/datasets/sanctions.py): nothing to rename or cast
select * from {{ source('raw', 'sanctions') }}
