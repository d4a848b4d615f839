with

pledges as (

    select * from {{ ref('int_pledges_counted') }}

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
        report_count,
        first_reported_on,
        counted_in_figures,
        covered_by_source_file,
        source,
        source_file,
        source_sha256,
        source_row,
        source_extra,
        ingest_seq,
        loaded_at

    from pledges

)

select * from final
