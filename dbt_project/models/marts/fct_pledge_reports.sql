with

pledge_reports as (

    select * from {{ ref('int_pledge_reports_ranked') }}

),

final as (

    select
        pledge_id,
        pledge_id_derived,
        announced_on,
        donor,
        recipient,
        category,
        amount,
        currency,
        amount_eur,
        amount_usd,
        conversion_note,
        personnel,
        status,
        description,
        source_url,
        source_name,
        is_latest_report,
        source,
        source_file,
        source_sha256,
        source_row,
        source_extra,
        ingest_seq,
        loaded_at

    from pledge_reports

)

select * from final
