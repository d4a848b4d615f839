with

positions as (

    select * from {{ ref('int_positions_history') }}

),

final as (

    select
        position_id,
        country,
        issue,
        stance,
        stated_on,
        actor,
        summary,
        source_url,
        source_name,
        valid_from,
        valid_to,
        is_current,
        source_file,
        source_sha256,
        source_row,
        source_extra,
        ingest_seq,
        loaded_at

    from positions

)

select * from final
