-- Each statement is valid until the next statement's stated_on (ordered by stated_on, ingest_seq,
-- source_row), the current one has no end, and validity never runs backwards.
with
positions as (select * from {{ ref('fct_positions') }}),

expected as (

    select
        position_id,
        valid_from,
        valid_to,
        is_current,
        lead(stated_on) over (
            partition by country, issue
            order by stated_on, ingest_seq, load_row, source_file
        ) as next_stated_on

    from positions

),

final as (

    select * from expected
    where valid_to is distinct from next_stated_on
        or is_current != (valid_to is null)
        or valid_to < valid_from

)

select * from final
