-- typed by the loader from the contract (ingestion/datasets/pledge_commitments.py): nothing to rename or cast
select * from {{ source('raw', 'pledge_commitments') }}
