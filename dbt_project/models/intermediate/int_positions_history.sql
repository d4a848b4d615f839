with

positions as (

    select * from {{ ref('stg_positions') }}

),

sequenced as (

    select
        {{ row_id() }} as position_id,
        country,
        issue,
        stance,
        stated_on,
        actor,
        summary,
        source_url,
        source_name,
        source_file,
        source_sha256,
        source_row,
        source_extra,
        ingest_seq,
        loaded_at,
        -- a later statement supersedes an earlier one; same-day statements by file ingestion order, then row
        -- (source_file only makes the order total should two files ever share an ingest_seq)
        row_number() over (
            partition by country, issue
            order by stated_on, ingest_seq, source_row, source_file
        ) as statement_seq

    from positions

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
        source_file,
        source_sha256,
        source_row,
        source_extra,
        ingest_seq,
        loaded_at,
        statement_seq,
        stated_on as valid_from,
        lead(stated_on) over (
            partition by country, issue
            order by statement_seq
        ) as valid_to,
        statement_seq = max(statement_seq) over (partition by country, issue) as is_current

    from sequenced

)

select * from final
