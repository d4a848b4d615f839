{{ config(meta={'dagster': {'ref': {'name': 'designations_overlap'}}}) }}
-- Each list's Russia-targeted entries are listed by both or by it only (entries_a =
-- listed_by_both_a + list_a_only, the same for b), the matches add up by rule, and every pair of
-- loaded lists has its row.
with
overlap as (select * from {{ ref('designations_overlap') }}),
pairs as (select * from {{ ref('int_designation_list_pairs') }}),

final as (

    select
        coalesce(overlap.list_a, pairs.list_a) as list_a,
        coalesce(overlap.list_b, pairs.list_b) as list_b

    from overlap
    full outer join pairs
        on overlap.list_a = pairs.list_a
        and overlap.list_b = pairs.list_b
    where overlap.list_a is null
        or pairs.list_a is null
        or overlap.entries_a != overlap.listed_by_both_a + overlap.list_a_only
        or overlap.entries_b != overlap.listed_by_both_b + overlap.list_b_only
        or overlap.matched_pairs != overlap.pairs_imo + overlap.pairs_name_and_dob + overlap.pairs_exact_name
        or overlap.matched_pairs < greatest(overlap.listed_by_both_a, overlap.listed_by_both_b)

)

select * from final
