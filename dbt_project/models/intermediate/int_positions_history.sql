with
positions as ({{ rows_of_current_files(ref('stg_positions')) }}),

sequenced as (

    select
        {{ row_id() }} as position_id,
        *,
        -- a later statement supersedes an earlier one; same-day statements by file ingestion order, then row
        -- (source_file only makes the order total should two files ever share an ingest_seq)
        row_number() over (
            partition by country, issue
            order by stated_on, ingest_seq, load_row, source_file
        ) as statement_seq

    from positions

),

final as (

    select
        *,
        stated_on as valid_from,
        lead(stated_on) over (
            partition by country, issue
            order by statement_seq
        ) as valid_to,
        statement_seq = max(statement_seq) over (partition by country, issue) as is_current

    from sequenced

)

select * from final
