{{ config(meta={'dagster': {'ref': {'name': 'country_issue_figures'}}}) }}
-- Every figure belongs to a (country, issue) row of country_issue, and every evidence row is
-- counted in country_issue.evidence_count (nothing is dropped or moved between codes).
with
figures as (select * from {{ ref('country_issue_figures') }}),
country_issue as (select * from {{ ref('country_issue') }}),
evidence as (select * from {{ ref('int_country_issue_evidence') }}),

orphan_figures as (

    select
        figures.country,
        figures.issue,
        'figure outside the grid' as problem

    from figures
    left join country_issue
        on figures.country = country_issue.country
        and figures.issue = country_issue.issue
    where country_issue.country is null

),

evidence_totals as (

    select
        country,
        issue,
        count(*) as evidence_count

    from evidence
    group by country, issue

),

miscounted as (

    select
        coalesce(country_issue.country, evidence_totals.country) as country,
        coalesce(country_issue.issue, evidence_totals.issue) as issue,
        'evidence_count differs from evidence rows' as problem

    from country_issue
    full outer join evidence_totals
        on country_issue.country = evidence_totals.country
        and country_issue.issue = evidence_totals.issue
    where country_issue.evidence_count is distinct from coalesce(evidence_totals.evidence_count, 0)

),

final as (

    select * from orphan_figures
    union all
    select * from miscounted

)

select * from final
