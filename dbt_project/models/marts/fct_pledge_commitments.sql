with

pledge_commitments as (

    select * from {{ ref('int_pledge_commitments_cumulative') }}

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
        committed_not_allocated_eur,
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

    from pledge_commitments

)

select * from final
