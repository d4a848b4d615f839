with

source as (

    select * from {{ source('ref', 'issues') }}

),

renamed as (

    select
        cast(issue as varchar) as issue,
        cast(label as varchar) as label,
        cast(description as varchar) as description,
        cast(source as varchar) as source

    from source

),

final as (

    select * from renamed

)

select * from final
