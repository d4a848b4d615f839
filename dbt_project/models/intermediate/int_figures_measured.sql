-- Each figure of each (country, issue) that any loaded row counts in: a sum over the rows that
-- measure it (null where none does: a figure is measured or absent, never a 0 made of nothing),
-- how much of it is measured, its period as the rows give it, and the releases it counts.

with
figure_rows as (select * from {{ ref('int_figure_rows') }}),

summarised as (

    select
        country,
        issue,
        figure,
        unit,
        sum(measure) as value,
        count(evidence_id) as row_count,
        count(measure) filter (where evidence_id is not null) as rows_measuring,
        case
            when count(measure) = 0 then 'not measured by any loaded source'
            when count(measure) < count(*) or bool_or(period_gap) then 'partial'
            else 'measured'
        end as coverage,
        min(period_from) as period_from,
        max(period_to) as period_to,
        min(period_to) as earliest_period_to,
        any_value(period_kind) as period_kind,
        -- the coarsest date precision of the rows: a period is named no finer than its data
        max(case date_precision when 'day' then 1 when 'month' then 2 when 'fiscal_year' then 3 else 4 end)
            as precision_rank,
        bool_or(coalesce(is_partial, false)) as is_partial,
        {{ string_agg_distinct('source_label', '; ') }} as sources,
        {{ string_agg_distinct('source_file', '; ') }} as source_files

    from figure_rows
    group by country, issue, figure, unit

),

final as (

    select
        country,
        issue,
        figure,
        value,
        unit,
        coverage,
        period_from,
        period_to,
        case
            when period_kind = 'fiscal_year' then
                'FY' || year(period_to) || ' (' || {{ format_date('period_from') }} || ' to '
                || {{ format_date('period_to') }} || ')'
            when period_kind = 'window_12m' then
                '12 months to ' || {{ format_date('period_to', 'month') }} || ' (' || {{ format_date('period_from', 'month') }} || ' to '
                || {{ format_date('period_to', 'month') }} || ')'
            when period_kind = 'snapshot' then 'as of ' || {{ format_date('period_to') }}
            when period_kind = 'status' and earliest_period_to != period_to then
                'latest status of each measure (as of ' || {{ format_date('earliest_period_to') }} || ' to '
                || {{ format_date('period_to') }} || ')'
            when period_kind = 'status' and precision_rank = 4 and figure like 'measures_in_force%' then
                'in force in ' || year(period_to)
            when period_kind = 'status' and precision_rank = 4 then 'status in ' || year(period_to)
            when period_kind = 'status' then 'status as of ' || {{ format_date('period_to') }}
            when precision_rank = 4 then year(period_from) || ' to ' || year(period_to)
            when precision_rank >= 2 then {{ format_date('period_from', 'month') }} || ' to ' || {{ format_date('period_to', 'month') }}
            else {{ format_date('period_from') }} || ' to ' || {{ format_date('period_to') }}
        end as period_label,
        is_partial,
        row_count,
        rows_measuring,
        sources,
        source_files

    from summarised

)

select * from final
