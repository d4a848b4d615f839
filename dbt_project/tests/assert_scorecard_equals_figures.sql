{{ config(meta={'dagster': {'ref': {'name': 'country_scorecard'}}}) }}
-- Each figure column of the scorecard is exactly one figure of country_issue_figures: the same
-- value, NULL where it is NULL (one definition, one place).
with
scorecard as (select * from {{ ref('country_scorecard') }}),
figures as (select * from {{ ref('country_issue_figures') }}),

pairs as (

    select * from (values
        ('aid_allocated_eur_military', 'allocated_eur_military'),
        ('sanctions_adopted', 'measures_adopted'),
        ('sanctions_threatened', 'measures_threatened'),
        ('aid_net_change_usd_latest_full_fy', 'aid_net_change_usd_latest_full_fy'),
        ('russian_oil_tonnes_12m_direct', 'tonnes_12m_direct'),
        ('russia_designations_listed', 'designations_listed_russia')
    ) as pairs (scorecard_column, figure)

),

scorecard_values as (

    unpivot (
        select
            country,
            aid_allocated_eur_military,
            sanctions_adopted,
            sanctions_threatened,
            aid_net_change_usd_latest_full_fy,
            russian_oil_tonnes_12m_direct,
            russia_designations_listed
        from scorecard
    ) on columns(* exclude (country)) into name scorecard_column value scorecard_value

),

final as (

    select
        scorecard.country,
        pairs.scorecard_column

    from scorecard
    cross join pairs
    left join scorecard_values
        on scorecard.country = scorecard_values.country
        and pairs.scorecard_column = scorecard_values.scorecard_column
    left join figures
        on scorecard.country = figures.country
        and pairs.figure = figures.figure
    where scorecard_values.scorecard_value is distinct from figures.value

)

select * from final
