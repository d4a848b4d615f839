with

source as (

    select * from {{ source('raw', 'pledge_commitments') }}

),

renamed as (

    select
        cast(donor as varchar) as donor,
        cast(recipient as varchar) as recipient,
        cast(period as date) as period,
        cast(commitments as double) as commitments,
        cast(to_be_allocated as double) as to_be_allocated,
        cast(currency as varchar) as currency,
        cast(commitments_eur as double) as commitments_eur,
        cast(commitments_usd as double) as commitments_usd,
        cast(to_be_allocated_eur as double) as to_be_allocated_eur,
        cast(to_be_allocated_usd as double) as to_be_allocated_usd,
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
