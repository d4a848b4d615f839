with

pledge_figures as (

    select * from {{ ref('int_country_issue_figures_pledges') }}

),

pledge_commitment_figures as (

    select * from {{ ref('int_country_issue_figures_pledge_commitments') }}

),

aid_change_figures as (

    select * from {{ ref('int_country_issue_figures_aid_changes') }}

),

oil_import_figures as (

    select * from {{ ref('int_country_issue_figures_oil_imports') }}

),

sanction_figures as (

    select * from {{ ref('int_country_issue_figures_sanctions') }}

),

designation_figures as (

    select * from {{ ref('int_country_issue_figures_designations') }}

),

unioned as (

    select country, issue, figure, value, unit, period_from, period_to from pledge_figures
    union all
    select country, issue, figure, value, unit, period_from, period_to from pledge_commitment_figures
    union all
    select country, issue, figure, value, unit, period_from, period_to from aid_change_figures
    union all
    select country, issue, figure, value, unit, period_from, period_to from oil_import_figures
    union all
    select country, issue, figure, value, unit, period_from, period_to from sanction_figures
    union all
    select country, issue, figure, value, unit, period_from, period_to from designation_figures

),

final as (

    select
        country,
        issue,
        figure,
        value,
        unit,
        period_from,
        period_to

    from unioned

)

select * from final
