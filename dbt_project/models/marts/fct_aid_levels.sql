with

aid_levels as (

    select * from {{ ref('int_aid_levels_current') }}

),

final as (

    select * from aid_levels

)

select * from final
