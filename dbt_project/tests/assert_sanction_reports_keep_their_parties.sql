{{ config(meta={'dagster': {'ref': {'name': 'fct_sanction_reports'}}}) }}
-- A measure_id reported in several files is one measure: every report must name the same
-- imposing country or bloc and the same target.
with

reports as (

    select * from {{ ref('fct_sanction_reports') }}

),

final as (

    select
        measure_id,
        count(distinct imposed_by) as imposers,
        count(distinct target) as targets,
    from reports
    group by measure_id
    having count(distinct imposed_by) > 1 or count(distinct target) > 1

)

select * from final
