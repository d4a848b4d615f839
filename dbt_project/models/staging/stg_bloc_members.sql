with

source as (

    select * from {{ source('ref', 'bloc_members') }}

),

renamed as (

    select
        cast(bloc as varchar) as bloc,
        cast(member as varchar) as member,
        cast(member_from as date) as member_from,
        cast(member_to as date) as member_to,
        cast(source as varchar) as source

    from source

),

final as (

    select * from renamed

)

select * from final
