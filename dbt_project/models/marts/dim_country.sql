with
countries as (select * from {{ ref('stg_countries') }}),
bloc_membership as (select * from {{ ref('dim_bloc_membership') }}),

current_memberships as (

    select
        member,
        bool_or(bloc = 'EU_MEMBER_STATES') as is_eu_member,
        bool_or(bloc = 'NATO') as is_nato_member,
        bool_or(bloc = 'G7') as is_g7_member

    from bloc_membership
    where is_current
    group by member

),

final as (

    select
        countries.iso3,
        countries.name,
        countries.kind,
        countries.iso2,
        coalesce(current_memberships.is_eu_member, false) as is_eu_member,
        coalesce(current_memberships.is_nato_member, false) as is_nato_member,
        coalesce(current_memberships.is_g7_member, false) as is_g7_member,
        countries.source

    from countries
    left join current_memberships
        on countries.iso3 = current_memberships.member

)

select * from final
