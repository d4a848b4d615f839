with
country_roles as (select * from {{ ref('int_country_roles') }}),
countries as (select * from {{ ref('dim_country') }}),
issues as (select * from {{ ref('stg_issues') }}),
evidence as (select * from {{ ref('int_country_issue_evidence') }}),

current_positions as (

    select * from {{ ref('fct_positions') }}
    where is_current

),

countries_with_data as (

    select distinct country

    from country_roles

),

grid as (

    select
        countries_with_data.country,
        issues.issue

    from countries_with_data
    cross join issues

),

evidence_totals as (

    select
        country,
        issue,
        count(*) as evidence_count,
        max(event_on) as latest_event_on

    from evidence
    group by country, issue

),

final as (

    select
        grid.country,
        countries.name as country_name,
        countries.kind as country_kind,
        grid.issue,
        current_positions.stance,
        current_positions.stated_on as stance_on,
        current_positions.actor as stance_actor,
        current_positions.summary as stance_summary,
        coalesce(current_positions.source_url, current_positions.source_name) as stance_source,
        coalesce(evidence_totals.evidence_count, 0) as evidence_count,
        evidence_totals.latest_event_on

    from grid
    left join countries
        on grid.country = countries.iso3
    left join current_positions
        on grid.country = current_positions.country
        and grid.issue = current_positions.issue
    left join evidence_totals
        on grid.country = evidence_totals.country
        and grid.issue = evidence_totals.issue

)

select * from final
