with

pledge_commitments as (

    select * from {{ ref('int_pledge_commitments_cumulative') }}

),

latest_months as (

    select
        donor,
        min(period) as first_period,
        max(period) as latest_period

    from pledge_commitments
    group by donor

),

figures as (

    select
        pledge_commitments.donor as country,
        'committed_not_allocated_eur' as figure,
        pledge_commitments.committed_not_allocated_eur as value,
        latest_months.first_period as period_from,
        last_day(latest_months.latest_period) as period_to

    from pledge_commitments
    inner join latest_months
        on pledge_commitments.donor = latest_months.donor
        and pledge_commitments.period = latest_months.latest_period

),

final as (

    select
        country,
        'military_aid' as issue,
        figure,
        cast(value as double) as value,
        'EUR' as unit,
        period_from,
        period_to

    from figures

)

select * from final
