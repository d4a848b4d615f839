{{ config(meta={'dagster': {'ref': {'name': 'fct_sanctions'}}}) }}
-- fct_sanctions holds, for each measure_id of fct_sanction_reports, the report with the highest
-- (ingest_seq, source_row), and counts all of its reports.
with

sanctions as (

    select * from {{ ref('fct_sanctions') }}

),

reports as (

    select * from {{ ref('fct_sanction_reports') }}

),

expected as (

    select
        measure_id,
        arg_max(source_file, (ingest_seq, source_row, source_file)) as source_file,
        arg_max(source_row, (ingest_seq, source_row, source_file)) as source_row,
        count(*) as report_count,
        min(announced_on) as first_reported_on

    from reports
    group by measure_id

),

final as (

    select
        coalesce(expected.measure_id, sanctions.measure_id) as measure_id

    from expected
    full outer join sanctions
        on expected.measure_id = sanctions.measure_id
    where sanctions.measure_id is null
        or expected.measure_id is null
        or sanctions.source_file != expected.source_file
        or sanctions.source_row != expected.source_row
        or sanctions.report_count != expected.report_count
        or sanctions.first_reported_on != expected.first_reported_on

)

select * from final
