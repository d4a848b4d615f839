-- typed by the loader from the contract (ingestion/datasets/aid_levels.py): nothing to rename or cast
select * from {{ source('raw', 'aid_levels') }}
