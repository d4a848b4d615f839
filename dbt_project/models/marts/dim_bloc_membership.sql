with
bloc_members as (select * from {{ ref('stg_bloc_members') }}),

final as (

    select
        bloc,
        member,
        member_from,
        member_to,
        coalesce(member_from <= current_date, true)
            and coalesce(member_to >= current_date, true) as is_current,
        source

    from bloc_members

)

select * from final
