-- typed by the loader from the contract (ingestion/datasets/aid_changes.py): nothing to rename or cast
select * from {{ source('raw', 'aid_changes') }}
