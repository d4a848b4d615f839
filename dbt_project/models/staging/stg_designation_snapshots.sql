with
source as (select * from {{ source('history', 'designation_snapshots') }}),

renamed as (

    select
        cast(list_id as {{ string_type() }}) as list_id,
        cast(as_of as date) as as_of,
        cast(imposed_by as {{ string_type() }}) as imposed_by,
        cast(source_file as {{ string_type() }}) as source_file,
        cast(entries as bigint) as entries

    from source

)

select * from renamed
