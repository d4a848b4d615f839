{{ config(meta={'dagster': {'ref': {'name': 'fct_pledges'}}}) }}
-- A pledge is left out of the figures exactly when it is a hand-written military, financial or
-- humanitarian pledge whose donor, recipient and month the current kiel-ust release reports
-- (a fct_pledge_commitments row, or a kiel-ust pledge, for that donor and month).
with
pledges as (select * from {{ ref('fct_pledges') }}),
pledge_commitments as (select * from {{ ref('fct_pledge_commitments') }}),

kiel_months as (

    select donor, recipient, period from pledge_commitments
    where source = 'kiel-ust'
    union
    select donor, recipient, cast(date_trunc('month', announced_on) as date) from pledges
    where source = 'kiel-ust'

),

expected as (

    select
        pledges.pledge_id,
        pledges.counted_in_figures,
        not (
            pledges.source = 'extract'
            and pledges.category in ('military', 'financial', 'humanitarian')
            and kiel_months.donor is not null
        ) as expected_counted

    from pledges
    left join kiel_months
        on pledges.donor = kiel_months.donor
        and pledges.recipient = kiel_months.recipient
        and cast(date_trunc('month', pledges.announced_on) as date) = kiel_months.period

),

final as (

    select * from expected
    where counted_in_figures is distinct from expected_counted

)

select * from final
