with

aid_changes as (

    select * from {{ ref('int_aid_changes_with_fiscal_year') }}

),

final as (

    select * from aid_changes

)

select * from final
