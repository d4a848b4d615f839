with

source as (

    select * from {{ source('raw', 'aid_changes') }}

),

renamed as (

    select
        cast(announced_on as date) as announced_on,
        cast(effective_on as date) as effective_on,
        cast(donor as varchar) as donor,
        cast(recipient as varchar) as recipient,
        cast(programme as varchar) as programme,
        cast(aid_type as varchar) as aid_type,
        cast(change as varchar) as change,
        cast(amount_change as double) as amount_change,
        cast(currency as varchar) as currency,
        cast(amount_change_eur as double) as amount_change_eur,
        cast(amount_change_usd as double) as amount_change_usd,
        cast(conversion_note as varchar) as conversion_note,
        cast(fiscal_year as bigint) as fiscal_year,
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
