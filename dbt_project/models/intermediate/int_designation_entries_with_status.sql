with
entries as (select * from {{ ref('stg_designation_entries') }}),
lists as (select * from {{ ref('int_designation_lists') }}),

final as (

    select
        entries.list_id,
        entries.entry_id,
        entries.imposed_by,
        entries.name,
        entries.entity_type,
        entries.programmes,
        entries.target,
        entries.remarks,
        entries.listed_on,
        entries.birth_date,
        entries.imo_number,
        entries.name_key,
        entries.first_seen,
        entries.last_seen,
        -- in the list's latest snapshot; otherwise delisted after last_seen
        entries.last_seen = lists.latest_as_of as is_listed,
        entries.source_file

    from entries
    inner join lists
        on entries.list_id = lists.list_id

)

select * from final
