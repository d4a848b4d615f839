with
pledge_reports as (select * from {{ ref('int_pledge_reports_ranked') }}),
pledge_commitments as (select * from {{ ref('int_pledge_commitments_cumulative') }}),
oil_imports as (select * from {{ ref('int_oil_imports_current') }}),
aid_changes as (select * from {{ ref('int_aid_changes_with_fiscal_year') }}),
aid_levels as (select * from {{ ref('int_aid_levels_current') }}),
sanction_reports as (select * from {{ ref('int_sanction_reports_ranked') }}),
positions as (select * from {{ ref('int_positions_history') }}),
-- one row per entry ever on a list (history.designation_entries), delisted ones too
designation_entries as (select * from {{ ref('stg_designation_entries') }}),

appearances as (

    select donor as country, 'pledges' as dataset, 'donor' as role from pledge_reports
    union all
    select recipient, 'pledges', 'recipient' from pledge_reports
    union all
    select donor, 'pledge_commitments', 'donor' from pledge_commitments
    union all
    select recipient, 'pledge_commitments', 'recipient' from pledge_commitments
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
    select donor, 'aid_levels', 'donor' from aid_levels
    union all
    select recipient, 'aid_levels', 'recipient' from aid_levels
    union all
    select imposed_by, 'sanctions', 'imposed_by' from sanction_reports
    union all
    select target, 'sanctions', 'target' from sanction_reports
    union all
    select country, 'positions', 'country' from positions
    union all
    select imposed_by, 'designations', 'imposed_by' from designation_entries
    union all
    select target, 'designations', 'target' from designation_entries

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
