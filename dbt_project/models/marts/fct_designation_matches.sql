-- Russia-targeted entries listed now, matched across each pair of lists by rules each said in
-- one sentence (no fuzzy matching), strongest first:
--   imo           the same IMO number;
--   name_and_dob  the same name (the words of the name key, in any order) and birth dates that
--                 agree at the precision both give (1968 agrees with 1968-01-02);
--   exact_name    the same name where at least one side gives no birth date.
-- Entity types must agree where both give one; two different birth dates, or two different IMO
-- numbers, never match by name. Entries with no match on the other list keep a row of their own.
with
pairs as (select * from {{ ref('int_designation_list_pairs') }}),

entries as (

    select
        list_id,
        entry_id,
        name,
        entity_type,
        programmes,
        birth_date,
        imo_number,
        -- the name key's words in alphabetical order: lists write the family name first (OFAC,
        -- Canada) or last (the UN), a company's legal form before or after its name
        {{ sorted_words('name_key') }} as name_words

    from {{ ref('int_designation_entries_with_status') }}
    where is_listed
        and target = 'RUS'

),

candidates as (

    -- pairs of entries with the same IMO number or the same name words; the rules below decide
    select distinct pairs.list_a, pairs.list_b, entry_a.entry_id as entry_id_a, entry_b.entry_id as entry_id_b
    from pairs
    inner join entries as entry_a
        on pairs.list_a = entry_a.list_id
    inner join entries as entry_b
        on pairs.list_b = entry_b.list_id
        and (entry_a.imo_number = entry_b.imo_number or entry_a.name_words = entry_b.name_words)

),

ruled as (

    select
        candidates.list_a,
        candidates.list_b,
        candidates.entry_id_a,
        candidates.entry_id_b,
        case
            when entry_a.imo_number = entry_b.imo_number then 'imo'
            when entry_a.imo_number is not null and entry_b.imo_number is not null then null
            when entry_a.birth_date is null or entry_b.birth_date is null then 'exact_name'
            when {{ starts_with('entry_a.birth_date', 'entry_b.birth_date') }}
                or {{ starts_with('entry_b.birth_date', 'entry_a.birth_date') }} then 'name_and_dob'
        end as match_rule

    from candidates
    inner join entries as entry_a
        on candidates.list_a = entry_a.list_id
        and candidates.entry_id_a = entry_a.entry_id
    inner join entries as entry_b
        on candidates.list_b = entry_b.list_id
        and candidates.entry_id_b = entry_b.entry_id
    where entry_a.entity_type is null
        or entry_b.entity_type is null
        or entry_a.entity_type = entry_b.entity_type

),

matched as (

    select * from ruled
    where match_rule is not null

),

pair_rows as (

    -- one row per match, then one per entry of either list without a match on the other
    select list_a, list_b, entry_id_a, entry_id_b, match_rule, 'both' as listed_by
    from matched

    union all

    select pairs.list_a, pairs.list_b, entries.entry_id, null, null, 'list_a_only'
    from pairs
    inner join entries
        on pairs.list_a = entries.list_id
    left join matched
        on pairs.list_a = matched.list_a
        and pairs.list_b = matched.list_b
        and entries.entry_id = matched.entry_id_a
    where matched.entry_id_a is null

    union all

    select pairs.list_a, pairs.list_b, null, entries.entry_id, null, 'list_b_only'
    from pairs
    inner join entries
        on pairs.list_b = entries.list_id
    left join matched
        on pairs.list_a = matched.list_a
        and pairs.list_b = matched.list_b
        and entries.entry_id = matched.entry_id_b
    where matched.entry_id_b is null

),

final as (

    select
        pairs.list_a,
        pairs.keeper_a,
        pairs.as_of_a,
        pairs.list_b,
        pairs.keeper_b,
        pairs.as_of_b,
        pair_rows.listed_by,
        pair_rows.match_rule,
        case
            when pair_rows.match_rule in ('imo', 'name_and_dob') then 'high'
            when pair_rows.match_rule = 'exact_name' then 'medium'
        end as confidence,
        pair_rows.entry_id_a,
        entry_a.name as name_a,
        entry_a.entity_type as entity_type_a,
        entry_a.programmes as programmes_a,
        entry_a.birth_date as birth_date_a,
        entry_a.imo_number as imo_number_a,
        pair_rows.entry_id_b,
        entry_b.name as name_b,
        entry_b.entity_type as entity_type_b,
        entry_b.programmes as programmes_b,
        entry_b.birth_date as birth_date_b,
        entry_b.imo_number as imo_number_b

    from pair_rows
    inner join pairs
        on pair_rows.list_a = pairs.list_a
        and pair_rows.list_b = pairs.list_b
    left join entries as entry_a
        on pair_rows.list_a = entry_a.list_id
        and pair_rows.entry_id_a = entry_a.entry_id
    left join entries as entry_b
        on pair_rows.list_b = entry_b.list_id
        and pair_rows.entry_id_b = entry_b.entry_id

)

select * from final
