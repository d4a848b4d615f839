{{ config(meta={'dagster': {'ref': {'name': 'fct_designation_matches'}}}) }}
-- For every pair of lists, each Russia-targeted entry listed now on either list is either matched
-- (one or more rows `both`) or on exactly one row of its own (`list_a_only` / `list_b_only`),
-- never both, and no other entry is there; a row's columns agree with its listed_by.
with
matches as (select * from {{ ref('fct_designation_matches') }}),
pairs as (select * from {{ ref('int_designation_list_pairs') }}),

entries as (

    select * from {{ ref('fct_designations') }}
    where is_listed
        and target = 'RUS'

),

sides as (

    -- every (pair, side, entry) that must be accounted for
    select pairs.list_a, pairs.list_b, 'a' as side, entries.entry_id
    from pairs
    inner join entries
        on pairs.list_a = entries.list_id

    union all

    select pairs.list_a, pairs.list_b, 'b', entries.entry_id
    from pairs
    inner join entries
        on pairs.list_b = entries.list_id

),

rows_per_side as (

    select list_a, list_b, 'a' as side, entry_id_a as entry_id,
           count(*) filter (where listed_by = 'both') as matched_rows,
           count(*) filter (where listed_by = 'list_a_only') as own_rows
    from matches
    where entry_id_a is not null
    group by all

    union all

    select list_a, list_b, 'b', entry_id_b,
           count(*) filter (where listed_by = 'both'),
           count(*) filter (where listed_by = 'list_b_only')
    from matches
    where entry_id_b is not null
    group by all

),

uncovered as (

    select
        coalesce(sides.list_a, rows_per_side.list_a) as list_a,
        coalesce(sides.list_b, rows_per_side.list_b) as list_b,
        coalesce(sides.entry_id, rows_per_side.entry_id) as entry_id,
        'entry not accounted for once' as problem

    from sides
    full outer join rows_per_side
        on sides.list_a = rows_per_side.list_a
        and sides.list_b = rows_per_side.list_b
        and sides.side = rows_per_side.side
        and sides.entry_id = rows_per_side.entry_id
    where sides.entry_id is null
        or rows_per_side.entry_id is null
        or (rows_per_side.matched_rows > 0 and rows_per_side.own_rows > 0)
        or rows_per_side.own_rows > 1

),

inconsistent as (

    select list_a, list_b, coalesce(entry_id_a, entry_id_b) as entry_id, 'columns disagree with listed_by' as problem
    from matches
    where (listed_by = 'both') != (match_rule is not null and confidence is not null)
        or (listed_by = 'both' and (entry_id_a is null or entry_id_b is null))
        or (listed_by = 'list_a_only' and (entry_id_a is null or entry_id_b is not null))
        or (listed_by = 'list_b_only' and (entry_id_b is null or entry_id_a is not null))

),

final as (

    select * from uncovered
    union all
    select * from inconsistent

)

select * from final
