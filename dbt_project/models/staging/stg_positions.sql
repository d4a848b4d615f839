-- typed by the loader from the contract (ingestion/datasets/positions.py): nothing to rename or cast
select * from {{ source('raw', 'positions') }}
