with

pledges as (

    select * from {{ ref('int_pledge_reports_ranked') }}
    where is_latest_report

),

oil_imports as (

    select * from {{ ref('int_oil_imports_current') }}

),

aid_changes as (

    select * from {{ ref('int_aid_changes_with_fiscal_year') }}

),

sanctions as (

    select * from {{ ref('int_sanction_reports_ranked') }}
    where is_latest_report

),

positions as (

    select * from {{ ref('int_positions_history') }}

),

designations as (

    select * from {{ ref('int_designation_entries_with_status') }}

),

pledge_evidence as (

    select
        donor as country,
        case
            when category in ('military', 'training') then 'military_aid'
            when category = 'personnel' then 'troop_deployment'
            when category = 'security_guarantee' then 'security_guarantees'
        end as issue,
        'pledges' as dataset,
        pledge_id as evidence_id,
        announced_on as event_on,
        source_file,
        source_row

    from pledges
    where category in ('military', 'training', 'personnel', 'security_guarantee')

),

oil_import_evidence as (

    select
        importer as country,
        'russian_oil_purchases' as issue,
        'oil_imports' as dataset,
        {{ row_id() }} as evidence_id,
        period as event_on,
        source_file,
        source_row

    from oil_imports
    where origin = 'RUS'
        and product in ('crude', 'refined', 'oil')

),

aid_change_evidence as (

    select
        donor as country,
        'military_aid' as issue,
        'aid_changes' as dataset,
        aid_change_id as evidence_id,
        announced_on as event_on,
        source_file,
        source_row

    from aid_changes
    where aid_type in ('security', 'military', 'training')

),

sanction_evidence as (

    select
        imposed_by as country,
        'sanctions_on_russia' as issue,
        'sanctions' as dataset,
        measure_id as evidence_id,
        announced_on as event_on,
        source_file,
        source_row

    from sanctions
    where target = 'RUS'

),

designation_evidence as (

    -- one row per entry (not per change: entries grow with the list, changes with its history),
    -- listed now or delisted, as a lifted measure is evidence too
    select
        imposed_by as country,
        'sanctions_on_russia' as issue,
        'designations' as dataset,
        list_id || ':' || entry_id as evidence_id,
        first_seen as event_on,
        source_file,
        -- the history keeps the snapshot file, not the row
        cast(null as bigint) as source_row

    from designations
    where target = 'RUS'

),

position_evidence as (

    select
        country,
        issue,
        'positions' as dataset,
        position_id as evidence_id,
        stated_on as event_on,
        source_file,
        source_row

    from positions

),

final as (

    select * from pledge_evidence
    union all
    select * from oil_import_evidence
    union all
    select * from aid_change_evidence
    union all
    select * from sanction_evidence
    union all
    select * from designation_evidence
    union all
    select * from position_evidence

)

select * from final
