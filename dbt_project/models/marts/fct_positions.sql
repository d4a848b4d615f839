with
positions as (select * from {{ ref('int_positions_history') }}),

final as (

    select {{ star_except(['statement_seq']) }} from positions

)

select * from final
