with

source as (

    select * from {{ source('meta', 'file_registry') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(dataset as varchar) as dataset,
        cast(source_sha256 as varchar) as source_sha256,
        cast(row_count as bigint) as row_count,
        cast(ingest_seq as bigint) as ingest_seq,
        cast(loaded_at as timestamp) as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
