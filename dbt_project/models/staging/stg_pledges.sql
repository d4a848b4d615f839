with

source as (

    select * from {{ source('raw', 'pledges') }}

),

renamed as (

    select
        cast(pledge_id as varchar) as pledge_id,
        cast(pledge_id_derived as boolean) as pledge_id_derived,
        cast(announced_on as date) as announced_on,
        cast(donor as varchar) as donor,
        cast(recipient as varchar) as recipient,
        cast(category as varchar) as category,
        cast(amount as double) as amount,
        cast(currency as varchar) as currency,
        cast(amount_eur as double) as amount_eur,
        cast(amount_usd as double) as amount_usd,
        cast(conversion_note as varchar) as conversion_note,
        cast(personnel as bigint) as personnel,
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
