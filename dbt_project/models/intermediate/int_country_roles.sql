with

pledge_reports as (

    select * from {{ ref('stg_pledges') }}

),

oil_imports as (

    select * from {{ ref('stg_oil_imports') }}

),

aid_changes as (

    select * from {{ ref('stg_aid_changes') }}

),

sanction_reports as (

    select * from {{ ref('stg_sanctions') }}

),

positions as (

    select * from {{ ref('stg_positions') }}

),

appearances as (

    select donor as country, 'pledges' as dataset, 'donor' as role from pledge_reports
    union all
    select recipient, 'pledges', 'recipient' from pledge_reports
    union all
    select importer, 'oil_imports', 'importer' from oil_imports
    union all
    select origin, 'oil_imports', 'origin' from oil_imports
    union all
    select via_country, 'oil_imports', 'via_country' from oil_imports
    union all
    select donor, 'aid_changes', 'donor' from aid_changes
    union all
    select recipient, 'aid_changes', 'recipient' from aid_changes
    union all
    select imposed_by, 'sanctions', 'imposed_by' from sanction_reports
    union all
    select target, 'sanctions', 'target' from sanction_reports
    union all
    select country, 'positions', 'country' from positions

),

final as (

    select
        country,
        dataset,
        role,
        count(*) as row_count

    from appearances
    where country is not null
    group by country, dataset, role

)

select * from final
