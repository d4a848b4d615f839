with

snapshots as (

    select * from {{ ref('stg_designation_snapshots') }}

),

final as (

    select
        list_id,
        -- the keeper, file and size of the list's latest snapshot
        arg_max(imposed_by, as_of) as imposed_by,
        min(as_of) as first_as_of,
        max(as_of) as latest_as_of,
        count(*) as snapshot_count,
        arg_max(entries, as_of) as latest_entries,
        arg_max(source_file, as_of) as latest_source_file

    from snapshots
    group by list_id

)

select * from final
