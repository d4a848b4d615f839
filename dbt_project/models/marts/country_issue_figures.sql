with
measured as (select * from {{ ref('int_figures_measured') }}),
definitions as (select * from {{ ref('figures') }}),

issues_with_figures as (

    select distinct country, issue from measured

),

headline_grid as (

    -- the headline figures of every (country, issue) that has a figure: shown even where nothing
    -- measures them, as NULL, so a missing number is never mistaken for a zero
    select
        issues_with_figures.country,
        issues_with_figures.issue,
        definitions.figure,
        definitions.unit

    from issues_with_figures
    inner join definitions
        on issues_with_figures.issue = definitions.issue
    where definitions.headline

),

figures as (

    select
        coalesce(measured.country, headline_grid.country) as country,
        coalesce(measured.issue, headline_grid.issue) as issue,
        coalesce(measured.figure, headline_grid.figure) as figure,
        measured.value,
        coalesce(measured.unit, headline_grid.unit) as unit,
        coalesce(measured.coverage, 'not measured by any loaded source') as coverage,
        measured.period_from,
        measured.period_to,
        measured.period_label,
        coalesce(measured.is_partial, false) as is_partial,
        coalesce(measured.row_count, 0) as row_count,
        coalesce(measured.rows_measuring, 0) as rows_measuring,
        measured.sources,
        measured.source_files

    from measured
    full outer join headline_grid
        on measured.country = headline_grid.country
        and measured.issue = headline_grid.issue
        and measured.figure = headline_grid.figure

),

final as (

    select
        figures.*,
        definitions.definition

    from figures
    left join definitions
        on figures.figure = definitions.figure

)

select * from final
