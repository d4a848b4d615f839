with

current_reports as (

    {{ rows_of_current_files(ref('stg_pledges')) }}

),

ranked as (

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
        source,
        source_file,
        source_sha256,
        source_row,
        source_extra,
        ingest_seq,
        loaded_at,
        row_number() over (
            partition by pledge_id
            order by ingest_seq desc, source_row desc, source_file desc
        ) as report_rank,
        count(*) over (partition by pledge_id) as report_count,
        min(announced_on) over (partition by pledge_id) as first_reported_on

    from current_reports

),

final as (

    select
        *,
        report_rank = 1 as is_latest_report

    from ranked

)

select * from final
