-- typed by the loader from the contract (ingestion/datasets/pledges.py): nothing to rename or cast
select * from {{ source('raw', 'pledges') }}
