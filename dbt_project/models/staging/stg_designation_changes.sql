with
source as (select * from {{ source('history', 'designation_changes') }}),

renamed as (

    select
        cast(list_id as {{ string_type() }}) as list_id,
        cast(entry_id as {{ string_type() }}) as entry_id,
        cast(as_of as date) as as_of,
        cast(previous_as_of as date) as previous_as_of,
        cast(change as {{ string_type() }}) as change,
        cast(old_value as {{ string_type() }}) as old_value,
        cast(new_value as {{ string_type() }}) as new_value,
        cast(entity_type as {{ string_type() }}) as entity_type,
        cast(target as {{ string_type() }}) as target,
        cast(source_file as {{ string_type() }}) as source_file

    from source

)

select * from renamed
