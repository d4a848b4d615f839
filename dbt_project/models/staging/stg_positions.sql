with

source as (

    -- typed by the loader from the contract (ingestion/datasets/positions.py): nothing to rename or cast
    select * from {{ source('raw', 'positions') }}

),

final as (

    select * from source

)

select * from final
