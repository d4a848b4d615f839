with

aid_changes as (

    select * from {{ ref('int_aid_changes_with_fiscal_year') }}

),

latest_fiscal_years as (

    select
        donor,
        max(fiscal_year_effective) as fiscal_year

    from aid_changes
    group by donor

),

latest_year_totals as (

    select
        aid_changes.donor as country,
        latest_fiscal_years.fiscal_year,
        count(*) as change_count,
        sum(aid_changes.amount_change_usd) as net_change_usd,
        sum(aid_changes.amount_change_eur) as net_change_eur

    from aid_changes
    inner join latest_fiscal_years
        on aid_changes.donor = latest_fiscal_years.donor
        and aid_changes.fiscal_year_effective = latest_fiscal_years.fiscal_year
    group by aid_changes.donor, latest_fiscal_years.fiscal_year

),

figures as (

    select
        country,
        fiscal_year,
        'aid_net_change_usd' as figure,
        net_change_usd as value,
        'USD' as unit
    from latest_year_totals

    union all

    select
        country,
        fiscal_year,
        'aid_net_change_eur' as figure,
        net_change_eur as value,
        'EUR' as unit
    from latest_year_totals

    union all

    select
        country,
        fiscal_year,
        'aid_changes_count' as figure,
        change_count as value,
        'changes' as unit
    from latest_year_totals

),

final as (

    select
        country,
        'military_aid' as issue,
        figure,
        cast(value as double) as value,
        unit,
        -- a fiscal year is taken as the calendar year of its label
        make_date(fiscal_year, 1, 1) as period_from,
        make_date(fiscal_year, 12, 31) as period_to

    from figures

)

select * from final
