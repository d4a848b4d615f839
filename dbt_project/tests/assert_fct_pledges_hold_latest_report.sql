{{ config(meta={'dagster': {'ref': {'name': 'fct_pledges'}}}) }}
-- fct_pledges holds, for each pledge_id of fct_pledge_reports, the report with the highest
-- (ingest_seq, source_row), and counts all of its reports.
with

pledges as (

    select * from {{ ref('fct_pledges') }}

),

reports as (

    select * from {{ ref('fct_pledge_reports') }}

),

expected as (

    select
        pledge_id,
        arg_max(source_file, (ingest_seq, source_row, source_file)) as source_file,
        arg_max(source_row, (ingest_seq, source_row, source_file)) as source_row,
        count(*) as report_count,
        min(announced_on) as first_reported_on

    from reports
    group by pledge_id

),

final as (

    select
        coalesce(expected.pledge_id, pledges.pledge_id) as pledge_id

    from expected
    full outer join pledges
        on expected.pledge_id = pledges.pledge_id
    where pledges.pledge_id is null
        or expected.pledge_id is null
        or pledges.source_file != expected.source_file
        or pledges.source_row != expected.source_row
        or pledges.report_count != expected.report_count
        or pledges.first_reported_on != expected.first_reported_on

)

select * from final
