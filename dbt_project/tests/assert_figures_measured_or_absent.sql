{{ config(meta={'dagster': {'ref': {'name': 'country_issue_figures'}}}) }}
-- A figure is measured (a value, possibly 0) or absent (NULL): its coverage says which, its
-- period and sources say what it counts, and a measured figure that rests on rows has evidence
-- in country_issue (the grid and the figures agree).
with
figures as (select * from {{ ref('country_issue_figures') }}),
country_issue as (select * from {{ ref('country_issue') }}),

final as (

    select country, issue, figure, 'value and coverage disagree' as problem
    from figures
    where (value is null) != (coverage = 'not measured by any loaded source')

    union all

    select country, issue, figure, 'a measured figure without its period or sources'
    from figures
    where value is not null
        and (period_from is null or period_to is null or period_label is null or sources is null)

    union all

    select figures.country, figures.issue, figures.figure, 'figure rows without evidence in country_issue'
    from figures
    inner join country_issue
        on figures.country = country_issue.country
        and figures.issue = country_issue.issue
    where figures.row_count > 0
        and country_issue.evidence_count = 0

)

select * from final
