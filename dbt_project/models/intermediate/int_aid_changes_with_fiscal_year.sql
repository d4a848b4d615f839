with
current_aid_changes as ({{ rows_of_current_files(ref('stg_aid_changes')) }}),

final as (

    select
        {{ row_id() }} as aid_change_id,
        *,
        -- a change without a fiscal year takes the calendar year it takes effect (or is announced)
        coalesce(fiscal_year, year(coalesce(effective_on, announced_on))) as fiscal_year_effective

    from current_aid_changes

)

select * from final
