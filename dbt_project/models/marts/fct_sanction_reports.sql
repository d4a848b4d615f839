with

sanction_reports as (

    select * from {{ ref('int_sanction_reports_ranked') }}

),

final as (

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
        is_latest_report,
        source,
        source_file,
        source_sha256,
        source_row,
        source_extra,
        ingest_seq,
        loaded_at

    from sanction_reports

)

select * from final
