with

sanctions as (

    select * from {{ ref('int_sanction_reports_ranked') }}
    where is_latest_report
        and target = 'RUS'

),

by_imposer as (

    select
        imposed_by as country,
        min(announced_on) as period_from,
        max(announced_on) as period_to,
        count(*) filter (where status = 'threatened') as threatened_count,
        count(*) filter (where status = 'proposed') as proposed_count,
        count(*) filter (where status = 'adopted') as adopted_count,
        count(*) filter (where status = 'in_force') as in_force_count,
        count(*) filter (where status = 'lifted') as lifted_count

    from sanctions
    group by imposed_by

),

by_imposer_and_type as (

    select
        imposed_by as country,
        measure_type,
        min(announced_on) as period_from,
        max(announced_on) as period_to,
        count(*) filter (where status = 'in_force') as in_force_count

    from sanctions
    group by imposed_by, measure_type

),

figures as (

    select country, 'measures_threatened' as figure, threatened_count as value, period_from, period_to
    from by_imposer
    union all
    select country, 'measures_proposed', proposed_count, period_from, period_to
    from by_imposer
    union all
    select country, 'measures_adopted', adopted_count, period_from, period_to
    from by_imposer
    union all
    select country, 'measures_in_force', in_force_count, period_from, period_to
    from by_imposer
    union all
    select country, 'measures_lifted', lifted_count, period_from, period_to
    from by_imposer
    union all
    -- one per measure type the imposer has measures of (0 where none of them is in force)
    select country, 'measures_in_force_' || measure_type, in_force_count, period_from, period_to
    from by_imposer_and_type

),

final as (

    select
        country,
        'sanctions_on_russia' as issue,
        figure,
        cast(value as double) as value,
        'measures' as unit,
        period_from,
        period_to

    from figures

)

select * from final
