with

source as (

    select * from {{ source('ref', 'countries') }}

),

renamed as (

    select
        cast(code as varchar) as iso3,
        cast(name as varchar) as name,
        cast(kind as varchar) as kind,
        cast(iso2 as varchar) as iso2,
        cast(source as varchar) as source

    from source

),

final as (

    select * from renamed

)

select * from final
