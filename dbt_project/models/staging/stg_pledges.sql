with

source as (

    -- typed by the loader from the contract (ingestion/datasets/pledges.py): nothing to rename or cast
    select * from {{ source('raw', 'pledges') }}

),

final as (

    select * from source

)

select * from final
