with
current_commitments as ({{ rows_of_current_files(ref('stg_pledge_commitments')) }}),

final as (

    select
        *,
        -- Kiel does not split commitments by category: one running sum for the donor
        sum(to_be_allocated_eur) over (
            partition by donor, recipient
            order by period
            rows between unbounded preceding and current row
        ) as committed_not_allocated_eur,
        -- where every month's commitments equal its allocations, Kiel's file gives no separate
        -- commitments for the donor: "committed, not allocated" is then not measured, not 0
        bool_or(coalesce(to_be_allocated, 0) <> 0) over (partition by donor, recipient)
            as has_separate_commitments

    from current_commitments

)

select * from final
