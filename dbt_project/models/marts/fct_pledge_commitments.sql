with

pledge_commitments as (

    select * from {{ ref('int_pledge_commitments_cumulative') }}

),

final as (

    select * from pledge_commitments

)

select * from final
