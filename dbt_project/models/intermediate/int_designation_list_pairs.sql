-- Every pair of loaded sanctions lists, once (list_a before list_b by list_id), with each list's
-- keeper and latest snapshot: the pairs fct_designation_matches and designations_overlap compare.
with
lists as (select * from {{ ref('int_designation_lists') }}),

final as (

    select
        list_a.list_id as list_a,
        list_a.imposed_by as keeper_a,
        list_a.latest_as_of as as_of_a,
        list_b.list_id as list_b,
        list_b.imposed_by as keeper_b,
        list_b.latest_as_of as as_of_b

    from lists as list_a
    inner join lists as list_b
        on list_a.list_id < list_b.list_id

)

select * from final
