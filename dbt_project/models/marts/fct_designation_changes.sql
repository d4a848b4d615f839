with
changes as (select * from {{ ref('stg_designation_changes') }}),
snapshots as (select * from {{ ref('stg_designation_snapshots') }}),

final as (

    select
        changes.list_id,
        changes.entry_id,
        changes.as_of,
        changes.previous_as_of,
        changes.change,
        changes.old_value,
        changes.new_value,
        changes.entity_type,
        changes.target,
        -- the keeper of the list as of the later snapshot
        snapshots.imposed_by,
        changes.source_file

    from changes
    left join snapshots
        on changes.list_id = snapshots.list_id
        and changes.as_of = snapshots.as_of

)

select * from final
