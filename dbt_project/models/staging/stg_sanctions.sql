with

source as (

    select * from {{ source('raw', 'sanctions') }}

),

renamed as (

    select
        cast(measure_id as varchar) as measure_id,
        cast(measure_id_derived as boolean) as measure_id_derived,
        cast(announced_on as date) as announced_on,
        cast(imposed_by as varchar) as imposed_by,
        cast(target as varchar) as target,
        cast(measure_type as varchar) as measure_type,
        cast(sector as varchar) as sector,
        cast(status as varchar) as status,
        cast(description as varchar) as description,
        cast(source_url as varchar) as source_url,
        cast(source_name as varchar) as source_name,
        cast(source_file as varchar) as source_file,
        cast(source_sha256 as varchar) as source_sha256,
        cast(source_row as bigint) as source_row,
        cast(source_extra as varchar) as source_extra,
        cast(ingest_seq as bigint) as ingest_seq,
        cast(loaded_at as timestamp) as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
