with

entries as (

    select * from {{ ref('int_designation_entries_with_status') }}
    where is_listed

),

lists as (

    select * from {{ ref('int_designation_lists') }}

),

families as (

    select * from {{ ref('stg_programme_families') }}

),

entry_programmes as (

    select
        entries.list_id,
        entries.imposed_by,
        programmes.programme,
        entries.entry_id

    from entries
    cross join unnest(string_split(entries.programmes, ';')) as programmes (programme)
    where entries.programmes is not null

),

final as (

    select
        entry_programmes.list_id,
        entry_programmes.imposed_by,
        entry_programmes.programme,
        families.family,
        lists.latest_as_of as as_of,
        count(distinct entry_programmes.entry_id) as entries_listed

    from entry_programmes
    inner join lists
        on entry_programmes.list_id = lists.list_id
    left join families
        on entry_programmes.list_id = families.list_id
        and entry_programmes.programme = families.programme
    group by all

)

select * from final
