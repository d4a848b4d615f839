-- Every (country, issue) with statements has exactly one current statement.
with
positions as (select * from {{ ref('fct_positions') }}),

current_counts as (

    select
        country,
        issue,
        count(*) filter (where is_current) as current_count

    from positions
    group by country, issue

),

final as (

    select * from current_counts
    where current_count != 1

)

select * from final
