with
source as (select * from {{ source('history', 'designation_entries') }}),

renamed as (

    select
        cast(list_id as varchar) as list_id,
        cast(entry_id as varchar) as entry_id,
        cast(imposed_by as varchar) as imposed_by,
        cast(name as varchar) as name,
        cast(entity_type as varchar) as entity_type,
        cast(programmes as varchar) as programmes,
        cast(target as varchar) as target,
        cast(remarks as varchar) as remarks,
        cast(listed_on as date) as listed_on,
        cast(birth_date as varchar) as birth_date,
        cast(imo_number as varchar) as imo_number,
        cast(name_key as varchar) as name_key,
        cast(first_seen as date) as first_seen,
        cast(last_seen as date) as last_seen,
        cast(source_file as varchar) as source_file

    from source

)

select * from renamed
