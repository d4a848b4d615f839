with

oil_imports as (

    select * from {{ ref('int_oil_imports_current') }}

),

russian_oil as (

    select
        importer,
        period,
        case
            when route in ('pipeline', 'seaborne') then 'direct'
            when route = 'via_third_country' then 'via_third_country'
            else 'unspecified'
        end as route_group,
        volume_tonnes,
        value_eur

    from oil_imports
    where origin = 'RUS'
        and product in ('crude', 'refined', 'oil')

),

latest_periods as (

    select
        importer,
        max(period) as latest_period

    from russian_oil
    group by importer

),

windowed as (

    select
        russian_oil.importer,
        latest_periods.latest_period,
        russian_oil.route_group,
        russian_oil.volume_tonnes,
        russian_oil.value_eur

    from russian_oil
    inner join latest_periods
        on russian_oil.importer = latest_periods.importer
    -- the 12 months ending at the importer's latest month
    where russian_oil.period > latest_periods.latest_period - interval 12 month

),

aggregated as (

    select
        importer,
        latest_period,
        count(*) as row_count,
        count(*) filter (where route_group = 'direct') as direct_row_count,
        count(*) filter (where route_group = 'via_third_country') as via_third_country_row_count,
        count(*) filter (where route_group = 'unspecified') as unspecified_row_count,
        sum(volume_tonnes) filter (where route_group = 'direct') as direct_tonnes,
        sum(volume_tonnes) filter (where route_group = 'via_third_country') as via_third_country_tonnes,
        sum(volume_tonnes) filter (where route_group = 'unspecified') as unspecified_tonnes,
        sum(value_eur) filter (where route_group = 'direct') as direct_value_eur,
        sum(value_eur) filter (where route_group = 'via_third_country') as via_third_country_value_eur,
        sum(value_eur) filter (where route_group = 'unspecified') as unspecified_value_eur

    from windowed
    group by importer, latest_period

),

final as (

    select
        importer,
        cast(latest_period - interval 11 month as date) as window_from,
        last_day(latest_period) as window_to,
        row_count,
        -- 0 where the route has no rows; null where it has rows but none with the measure
        case when direct_row_count = 0 then 0 else direct_tonnes end as tonnes_12m_direct,
        case when via_third_country_row_count = 0 then 0 else via_third_country_tonnes end as tonnes_12m_via_third_country,
        case when unspecified_row_count = 0 then 0 else unspecified_tonnes end as tonnes_12m_unspecified,
        case when direct_row_count = 0 then 0 else direct_value_eur end as value_eur_12m_direct,
        case when via_third_country_row_count = 0 then 0 else via_third_country_value_eur end as value_eur_12m_via_third_country,
        case when unspecified_row_count = 0 then 0 else unspecified_value_eur end as value_eur_12m_unspecified

    from aggregated

)

select * from final
