{{ config(meta={'dagster': {'ref': {'name': 'fct_designations'}}}) }}
-- Every entry was first and last seen in snapshots of its list (first_seen <= last_seen), and is
-- listed exactly when its last snapshot is the list's latest one.
with
designations as (select * from {{ ref('fct_designations') }}),
snapshots as (select * from {{ ref('stg_designation_snapshots') }}),

latest_snapshots as (

    select
        list_id,
        max(as_of) as latest_as_of

    from snapshots
    group by list_id

),

final as (

    select
        designations.list_id,
        designations.entry_id

    from designations
    left join snapshots as first_snapshot
        on designations.list_id = first_snapshot.list_id
        and designations.first_seen = first_snapshot.as_of
    left join snapshots as last_snapshot
        on designations.list_id = last_snapshot.list_id
        and designations.last_seen = last_snapshot.as_of
    left join latest_snapshots
        on designations.list_id = latest_snapshots.list_id
    where first_snapshot.list_id is null
        or last_snapshot.list_id is null
        or designations.first_seen > designations.last_seen
        or designations.is_listed is distinct from (designations.last_seen = latest_snapshots.latest_as_of)

)

select * from final
