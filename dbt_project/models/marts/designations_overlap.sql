-- Per pair of sanctions lists: Russia-targeted entries listed now by both, by the first only and
-- by the second only, as fct_designation_matches matches them; every pair of loaded lists, so a
-- list without Russia-targeted entries shows measured zeros.
with
pairs as (select * from {{ ref('int_designation_list_pairs') }}),

entries as (

    select * from {{ ref('int_designation_entries_with_status') }}
    where is_listed
        and target = 'RUS'

),

matches as (select * from {{ ref('fct_designation_matches') }}),

entries_per_list as (

    select
        list_id,
        count(*) as entries

    from entries
    group by list_id

),

matches_per_pair as (

    select
        list_a,
        list_b,
        count(distinct entry_id_a) filter (where listed_by = 'both') as listed_by_both_a,
        count(distinct entry_id_b) filter (where listed_by = 'both') as listed_by_both_b,
        count(*) filter (where listed_by = 'list_a_only') as list_a_only,
        count(*) filter (where listed_by = 'list_b_only') as list_b_only,
        count(*) filter (where listed_by = 'both') as matched_pairs,
        count(*) filter (where match_rule = 'imo') as pairs_imo,
        count(*) filter (where match_rule = 'name_and_dob') as pairs_name_and_dob,
        count(*) filter (where match_rule = 'exact_name') as pairs_exact_name

    from matches
    group by list_a, list_b

),

final as (

    select
        pairs.list_a,
        pairs.keeper_a,
        pairs.as_of_a,
        pairs.list_b,
        pairs.keeper_b,
        pairs.as_of_b,
        coalesce(entries_a.entries, 0) as entries_a,
        coalesce(entries_b.entries, 0) as entries_b,
        coalesce(matches_per_pair.listed_by_both_a, 0) as listed_by_both_a,
        coalesce(matches_per_pair.listed_by_both_b, 0) as listed_by_both_b,
        coalesce(matches_per_pair.list_a_only, 0) as list_a_only,
        coalesce(matches_per_pair.list_b_only, 0) as list_b_only,
        coalesce(matches_per_pair.matched_pairs, 0) as matched_pairs,
        coalesce(matches_per_pair.pairs_imo, 0) as pairs_imo,
        coalesce(matches_per_pair.pairs_name_and_dob, 0) as pairs_name_and_dob,
        coalesce(matches_per_pair.pairs_exact_name, 0) as pairs_exact_name

    from pairs
    left join entries_per_list as entries_a
        on pairs.list_a = entries_a.list_id
    left join entries_per_list as entries_b
        on pairs.list_b = entries_b.list_id
    left join matches_per_pair
        on pairs.list_a = matches_per_pair.list_a
        and pairs.list_b = matches_per_pair.list_b

)

select * from final
