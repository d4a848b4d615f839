with
source as (select * from {{ source('history', 'designation_snapshots') }}),

renamed as (

    select
        cast(list_id as varchar) as list_id,
        cast(as_of as date) as as_of,
        cast(imposed_by as varchar) as imposed_by,
        cast(source_file as varchar) as source_file,
        cast(entries as bigint) as entries

    from source

)

select * from renamed
