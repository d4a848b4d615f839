with

source as (

    select * from {{ source('meta', 'source_releases') }}

),

renamed as (

    select
        cast(source_file as varchar) as source_file,
        cast(source as varchar) as source,
        cast(dataset as varchar) as dataset,
        cast(release_key as varchar) as release_key,
        cast(as_of as date) as as_of,
        cast(options as varchar) as options,
        cast(ingest_seq as bigint) as ingest_seq,
        cast(rows_skipped as bigint) as rows_skipped

    from source

),

final as (

    select * from renamed

)

select * from final
