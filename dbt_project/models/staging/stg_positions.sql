with

source as (

    select * from {{ source('raw', 'positions') }}

),

renamed as (

    select
        cast(stated_on as date) as stated_on,
        cast(country as varchar) as country,
        cast(issue as varchar) as issue,
        cast(stance as varchar) as stance,
        cast(actor as varchar) as actor,
        cast(summary as varchar) as summary,
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
