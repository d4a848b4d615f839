-- The rows behind each russian_oil_purchases figure: Russian-origin oil (crude, refined, or not
-- split) in the importer's latest 12 months that no source reports as partial, by route group; each
-- row counts in the tonnes and the EUR figure of its route group (null where it lacks the measure).
with

oil_imports as (

    -- the columns the figures use: the row's id is hashed below, for the rows in a window only (an oil extract
    -- has millions of rows, most of them outside every importer's latest 12 months)
    select
        period,
        importer,
        route,
        volume_tonnes,
        value_eur,
        is_partial,
        source_label,
        source_file,
        load_row,
        source_row

    from {{ ref('int_oil_imports_current') }}
    where origin = 'RUS'
        and product in ('crude', 'refined', 'oil')

),

latest_full_months as (

    select
        importer,
        max(period) as latest_period

    from oil_imports
    where not coalesce(is_partial, false)
    group by importer

),

windowed as (

    select
        oil_imports.*,
        cast(latest_full_months.latest_period - interval 11 month as date) as window_from,
        last_day(latest_full_months.latest_period) as window_to,
        case
            when oil_imports.route in ('pipeline', 'seaborne') then 'direct'
            when oil_imports.route = 'via_third_country' then 'via_third_country'
            else 'unspecified'
        end as route_group

    from oil_imports
    inner join latest_full_months
        on oil_imports.importer = latest_full_months.importer
    where oil_imports.period > latest_full_months.latest_period - interval 12 month
        and oil_imports.period <= latest_full_months.latest_period
        and not coalesce(oil_imports.is_partial, false)

),

months_covered as (

    -- how many of the 12 months any row of the importer covers: fewer makes the figures partial
    select
        importer,
        count(distinct period) as months

    from windowed
    group by importer

),

final as (

    select
        'russian_oil_purchases' as issue,
        windowed.importer as country,
        measures.prefix || '_12m_' || windowed.route_group as figure,
        measures.unit,
        case when measures.prefix = 'tonnes' then windowed.volume_tonnes else windowed.value_eur end as measure,
        'window_12m' as period_kind,
        windowed.window_from as period_from,
        windowed.window_to as period_to,
        false as is_partial,
        months_covered.months < 12 as period_gap,
        'month' as date_precision,
        windowed.source_label,
        windowed.source_file,
        'oil_imports' as dataset,
        {{ row_id('windowed.source_file', 'windowed.load_row') }} as evidence_id,  -- = its oil_import_id
        windowed.period as event_on,
        windowed.source_row

    from windowed
    inner join months_covered
        on windowed.importer = months_covered.importer
    cross join (values ('tonnes', 'tonnes'), ('value_eur', 'EUR')) as measures (prefix, unit)

)

select * from final
