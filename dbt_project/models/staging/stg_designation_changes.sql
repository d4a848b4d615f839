with
source as (select * from {{ source('history', 'designation_changes') }}),

renamed as (

    select
        cast(list_id as varchar) as list_id,
        cast(entry_id as varchar) as entry_id,
        cast(as_of as date) as as_of,
        cast(previous_as_of as date) as previous_as_of,
        cast(change as varchar) as change,
        cast(old_value as varchar) as old_value,
        cast(new_value as varchar) as new_value,
        cast(entity_type as varchar) as entity_type,
        cast(target as varchar) as target,
        cast(source_file as varchar) as source_file

    from source

)

select * from renamed
