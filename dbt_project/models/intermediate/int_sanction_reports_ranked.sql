with

current_reports as (

    {{ rows_of_current_files(ref('stg_sanctions')) }}

),

ranked as (

    select
        measure_id,
        measure_id_derived,
        announced_on,
        imposed_by,
        target,
        measure_type,
        sector,
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
            partition by measure_id
            order by ingest_seq desc, source_row desc, source_file desc
        ) as report_rank,
        count(*) over (partition by measure_id) as report_count,
        min(announced_on) over (partition by measure_id) as first_reported_on

    from current_reports

),

final as (

    select
        *,
        report_rank = 1 as is_latest_report

    from ranked

)

select * from final
