with

pledges as (

    select * from {{ ref('int_pledges_counted') }}
    where counted_in_figures
        and status != 'withdrawn'

),

by_category as (

    select
        donor as country,
        category,
        min(announced_on) as period_from,
        max(announced_on) as period_to,
        count(*) filter (
            where status in ('announced', 'committed', 'allocated', 'delivered')
        ) as pledged_count,
        sum(amount_eur) filter (
            where status in ('announced', 'committed', 'allocated', 'delivered')
        ) as pledged_eur,
        count(*) filter (where status in ('allocated', 'delivered')) as allocated_count,
        sum(amount_eur) filter (where status in ('allocated', 'delivered')) as allocated_eur,
        count(*) filter (where status = 'delivered') as delivered_count,
        sum(amount_eur) filter (where status = 'delivered') as delivered_eur

    from pledges
    group by donor, category

),

figures as (

    -- 0 where the category has pledges but none at the status; null where none of them has an EUR amount
    select
        country,
        'pledged_eur_' || category as figure,
        case when pledged_count = 0 then 0 else pledged_eur end as value,
        period_from,
        period_to
    from by_category

    union all

    select
        country,
        'allocated_eur_' || category as figure,
        case when allocated_count = 0 then 0 else allocated_eur end as value,
        period_from,
        period_to
    from by_category

    union all

    select
        country,
        'delivered_eur_' || category as figure,
        case when delivered_count = 0 then 0 else delivered_eur end as value,
        period_from,
        period_to
    from by_category

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
