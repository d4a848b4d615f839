with

country_issue as (

    select * from {{ ref('country_issue') }}

),

figures as (

    select * from {{ ref('country_issue_figures') }}

),

stances as (

    select
        country,
        any_value(country_name) as country_name,
        any_value(country_kind) as country_kind,
        max(stance) filter (where issue = 'troop_deployment') as troop_deployment_stance,
        max(stance) filter (where issue = 'peacekeeping_force') as peacekeeping_force_stance,
        max(stance) filter (where issue = 'nato_membership_for_ukraine') as nato_membership_for_ukraine_stance,
        max(stance) filter (where issue = 'military_aid') as military_aid_stance,
        max(stance) filter (where issue = 'sanctions_on_russia') as sanctions_on_russia_stance,
        max(stance) filter (where issue = 'russian_oil_purchases') as russian_oil_purchases_stance,
        max(stance) filter (where issue = 'security_guarantees') as security_guarantees_stance

    from country_issue
    group by country

),

key_figures as (

    select
        country,
        max(value) filter (where figure = 'pledged_eur_military') as military_aid_pledged_eur,
        max(value) filter (where figure = 'committed_not_allocated_eur') as military_aid_committed_not_allocated_eur,
        max(value) filter (where figure = 'tonnes_12m_direct') as russian_oil_direct_tonnes_12m,
        max(value) filter (where figure = 'tonnes_12m_via_third_country') as russian_oil_via_tonnes_12m,
        sum(value) filter (where figure in ('measures_adopted', 'measures_in_force')) as sanctions_adopted,
        max(value) filter (where figure = 'measures_proposed') as sanctions_proposed,
        max(value) filter (where figure = 'measures_threatened') as sanctions_threatened,
        max(value) filter (where figure = 'aid_net_change_usd') as aid_net_change_usd,
        max(value) filter (where figure = 'designations_listed_russia') as russia_designations_listed

    from figures
    group by country

),

final as (

    select
        stances.country,
        stances.country_name,
        stances.country_kind,
        stances.troop_deployment_stance,
        stances.peacekeeping_force_stance,
        stances.nato_membership_for_ukraine_stance,
        stances.military_aid_stance,
        stances.sanctions_on_russia_stance,
        stances.russian_oil_purchases_stance,
        stances.security_guarantees_stance,
        key_figures.military_aid_pledged_eur,
        key_figures.military_aid_committed_not_allocated_eur,
        key_figures.russian_oil_direct_tonnes_12m,
        key_figures.russian_oil_via_tonnes_12m,
        cast(key_figures.sanctions_adopted as bigint) as sanctions_adopted,
        cast(key_figures.sanctions_proposed as bigint) as sanctions_proposed,
        cast(key_figures.sanctions_threatened as bigint) as sanctions_threatened,
        key_figures.aid_net_change_usd,
        cast(key_figures.russia_designations_listed as bigint) as russia_designations_listed

    from stances
    left join key_figures
        on stances.country = key_figures.country

)

select * from final
