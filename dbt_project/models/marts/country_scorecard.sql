{#- One stance column per issue of ref.issues (the one list, ingestion/reference/issues.csv), then
    the key figures, each exactly a figure of country_issue_figures (NULL stays NULL). -#}
{%- set issues_query %}select issue from {{ ref('stg_issues') }} order by issue{% endset -%}
{%- set issues = run_query(issues_query).columns[0].values() if execute else [] -%}
{%- set key_figures = [
    ('aid_allocated_eur_military', 'allocated_eur_military'),
    ('aid_allocated_eur_financial', 'allocated_eur_financial'),
    ('aid_allocated_eur_humanitarian', 'allocated_eur_humanitarian'),
    ('aid_committed_not_allocated_eur', 'committed_not_allocated_eur'),
    ('aid_obligations_usd_latest_full_fy', 'obligations_usd_latest_full_fy'),
    ('aid_disbursements_usd_latest_full_fy', 'disbursements_usd_latest_full_fy'),
    ('aid_net_change_usd_latest_full_fy', 'aid_net_change_usd_latest_full_fy'),
    ('russian_oil_tonnes_12m_direct', 'tonnes_12m_direct'),
    ('russian_oil_tonnes_12m_via_third_country', 'tonnes_12m_via_third_country'),
    ('russian_oil_value_eur_12m_unspecified', 'value_eur_12m_unspecified'),
    ('sanctions_adopted', 'measures_adopted'),
    ('sanctions_in_force', 'measures_in_force'),
    ('sanctions_proposed', 'measures_proposed'),
    ('sanctions_threatened', 'measures_threatened'),
    ('russia_designations_listed', 'designations_listed_russia'),
] -%}
{%- set key_periods = [
    ('aid_levels_period', "figure = 'obligations_usd_latest_full_fy'"),
    ('aid_net_change_period', "figure = 'aid_net_change_usd_latest_full_fy'"),
    ('russian_oil_period', "issue = 'russian_oil_purchases'"),
] -%}
with
country_issue as (select * from {{ ref('country_issue') }}),
figures as (select * from {{ ref('country_issue_figures') }}),

stances as (

    select
        country,
        any_value(country_name) as country_name,
        any_value(country_kind) as country_kind
        {%- for issue in issues %},
        max(stance) filter (where issue = '{{ issue }}') as {{ issue }}_stance
        {%- endfor %}

    from country_issue
    group by country

),

key_figures as (

    select
        country
        {%- for column, figure in key_figures %},
        max(value) filter (where figure = '{{ figure }}') as {{ column }}
        {%- endfor %}
        {%- for column, condition in key_periods %},
        max(period_label) filter (where {{ condition }} and value is not null) as {{ column }}
        {%- endfor %}

    from figures
    group by country

),

final as (

    select
        stances.*,
        {{ star_except(['country'], 'key_figures') }}

    from stances
    left join key_figures
        on stances.country = key_figures.country

)

select * from final
