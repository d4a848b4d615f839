with

lists as (

    select * from {{ ref('int_designation_lists') }}

),

entries as (

    select * from {{ ref('int_designation_entries_with_status') }}

),

changes as (

    select * from {{ ref('stg_designation_changes') }}

),

listed_russia as (

    select
        list_id,
        count(*) as listed_count

    from entries
    where is_listed
        and target = 'RUS'
    group by list_id

),

added_russia_12m as (

    select
        changes.list_id,
        count(*) as added_count

    from changes
    inner join lists
        on changes.list_id = lists.list_id
    where changes.change in ('listed', 'relisted')
        and changes.target = 'RUS'
        -- the 12 months up to the list's latest snapshot
        and changes.as_of > lists.latest_as_of - interval 12 month

    group by changes.list_id

),

by_list as (

    select
        lists.imposed_by,
        lists.list_id,
        lists.latest_as_of,
        cast(lists.latest_as_of - interval 12 month + interval 1 day as date) as window_from,
        coalesce(listed_russia.listed_count, 0) as listed_count,
        -- a list with a single snapshot has no changes yet: nothing is known of its additions
        case when lists.snapshot_count > 1 then coalesce(added_russia_12m.added_count, 0) end as added_count

    from lists
    left join listed_russia
        on lists.list_id = listed_russia.list_id
    left join added_russia_12m
        on lists.list_id = added_russia_12m.list_id

),

by_keeper as (

    select
        imposed_by as country,
        sum(listed_count) as listed_count,
        sum(added_count) as added_count,
        min(latest_as_of) as first_latest_as_of,
        max(latest_as_of) as latest_as_of,
        min(window_from) as window_from

    from by_list
    group by imposed_by

),

figures as (

    select
        country,
        'designations_listed_russia' as figure,
        listed_count as value,
        first_latest_as_of as period_from,
        latest_as_of as period_to

    from by_keeper

    union all

    select
        country,
        'designations_added_russia_12m' as figure,
        added_count as value,
        window_from as period_from,
        latest_as_of as period_to

    from by_keeper

),

final as (

    select
        country,
        'sanctions_on_russia' as issue,
        figure,
        cast(value as double) as value,
        'entries' as unit,
        period_from,
        period_to

    from figures

)

select * from final
