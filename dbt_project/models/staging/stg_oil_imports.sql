with

source as (

    select * from {{ source('raw', 'oil_imports') }}

),

renamed as (

    select
        cast(period as date) as period,
        cast(importer as varchar) as importer,
        cast(origin as varchar) as origin,
        cast(route as varchar) as route,
        cast(via_country as varchar) as via_country,
        cast(product as varchar) as product,
        cast(volume_tonnes as double) as volume_tonnes,
        cast(value as double) as value,
        cast(currency as varchar) as currency,
        cast(value_eur as double) as value_eur,
        cast(value_usd as double) as value_usd,
        cast(conversion_note as varchar) as conversion_note,
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
