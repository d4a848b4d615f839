with
changes as (select * from {{ ref('fct_designation_changes') }}),

final as (

    select
        list_id,
        imposed_by,
        target,
        entity_type,
        -- the month of the later snapshot of each change
        cast(date_trunc('month', as_of) as date) as month,
        count(*) filter (where change in ('listed', 'relisted')) as additions,
        count(*) filter (where change = 'delisted') as delistings

    from changes
    where change in ('listed', 'relisted', 'delisted')
    group by list_id, imposed_by, target, entity_type, cast(date_trunc('month', as_of) as date)

)

select * from final
