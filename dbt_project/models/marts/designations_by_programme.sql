with

entry_programmes as (

    select * from {{ ref('int_designation_entry_programmes') }}
    where is_listed

),

lists as (select * from {{ ref('int_designation_lists') }}),

final as (

    select
        entry_programmes.list_id,
        lists.imposed_by,
        entry_programmes.programme,
        entry_programmes.family,
        lists.latest_as_of as as_of,
        count(distinct entry_programmes.entry_id) as entries_listed

    from entry_programmes
    inner join lists
        on entry_programmes.list_id = lists.list_id
    group by all

)

select * from final
