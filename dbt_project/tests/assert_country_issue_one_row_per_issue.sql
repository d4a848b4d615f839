{{ config(meta={'dagster': {'ref': {'name': 'country_issue'}}}) }}
-- country_issue holds exactly one row per issue of the seed for every country with any data,
-- and country_scorecard exactly one row for each of those countries.
with
country_issue as (select * from {{ ref('country_issue') }}),
scorecard as (select * from {{ ref('country_scorecard') }}),

countries_with_data as (

    select distinct country from {{ ref('int_country_roles') }}

),

issue_count as (

    select count(*) as issues from {{ ref('stg_issues') }}

),

rows_per_country as (

    select
        country,
        count(*) as issue_rows

    from country_issue
    group by country

),

final as (

    select
        coalesce(countries_with_data.country, rows_per_country.country) as country,
        rows_per_country.issue_rows,
        'country_issue rows != issues' as problem

    from countries_with_data
    full outer join rows_per_country
        on countries_with_data.country = rows_per_country.country
    cross join issue_count
    where rows_per_country.issue_rows is distinct from issue_count.issues
        or countries_with_data.country is null

    union all

    select
        coalesce(countries_with_data.country, scorecard.country) as country,
        null as issue_rows,
        'country_scorecard row missing or extra' as problem

    from countries_with_data
    full outer join scorecard
        on countries_with_data.country = scorecard.country
    where countries_with_data.country is null
        or scorecard.country is null

)

select * from final
