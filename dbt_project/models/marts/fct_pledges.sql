with

pledges as (

    select * from {{ ref('int_pledges_counted') }}

),

final as (

    select * from pledges

)

select * from final
