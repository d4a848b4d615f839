with

oil_imports as (

    select * from {{ ref('int_oil_imports_current') }}

),

final as (

    select * from oil_imports

)

select * from final
