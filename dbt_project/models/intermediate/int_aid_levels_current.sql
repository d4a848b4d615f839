with
current_aid_levels as ({{ rows_of_current_files(ref('stg_aid_levels')) }}),

final as (

    select
        {{ row_id() }} as aid_level_id,
        *

    from current_aid_levels

)

select * from final
