with

current_commitments as (

    {{ rows_of_current_files(ref('stg_pledge_commitments')) }}

),

final as (

    select
        donor,
        recipient,
        period,
        commitments,
        to_be_allocated,
        currency,
        commitments_eur,
        to_be_allocated_eur,
        -- Kiel does not split commitments by category: one running sum for the donor
        sum(to_be_allocated_eur) over (
            partition by donor, recipient
            order by period
            rows between unbounded preceding and current row
        ) as committed_not_allocated_eur,
        conversion_note,
        source_url,
        source_name,
        source,
        source_file,
        source_sha256,
        source_row,
        source_extra,
        ingest_seq,
        loaded_at

    from current_commitments

)

select * from final
