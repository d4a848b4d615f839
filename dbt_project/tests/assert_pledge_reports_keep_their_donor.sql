{{ config(meta={'dagster': {'ref': {'name': 'fct_pledge_reports'}}}) }}
-- A pledge_id reported in several files is one pledge: every report must name the same donor
-- and recipient. Ingestion checks one file at a time, so two files that reuse an id for
-- different pledges pass it and are caught here; the refresh then keeps the previous marts.
with

reports as (

    select * from {{ ref('fct_pledge_reports') }}

),

final as (

    select
        pledge_id,
        count(distinct donor) as donors,
        count(distinct recipient) as recipients,
    from reports
    group by pledge_id
    having count(distinct donor) > 1 or count(distinct recipient) > 1

)

select * from final
