with
source as (select * from {{ source('history', 'designation_entries') }}),

renamed as (

    select
        cast(list_id as {{ string_type() }}) as list_id,
        cast(entry_id as {{ string_type() }}) as entry_id,
        cast(imposed_by as {{ string_type() }}) as imposed_by,
        cast(name as {{ string_type() }}) as name,
        cast(entity_type as {{ string_type() }}) as entity_type,
        cast(programmes as {{ string_type() }}) as programmes,
        cast(target as {{ string_type() }}) as target,
        cast(remarks as {{ string_type() }}) as remarks,
        cast(listed_on as date) as listed_on,
        cast(birth_date as {{ string_type() }}) as birth_date,
        cast(imo_number as {{ string_type() }}) as imo_number,
        cast(name_key as {{ string_type() }}) as name_key,
        cast(first_seen as date) as first_seen,
        cast(last_seen as date) as last_seen,
        cast(source_file as {{ string_type() }}) as source_file

    from source

)

select * from renamed
