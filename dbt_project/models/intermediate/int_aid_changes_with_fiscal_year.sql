with

current_aid_changes as (

    {{ rows_of_current_files(ref('stg_aid_changes')) }}

),

final as (

    select
        {{ row_id() }} as aid_change_id,
        announced_on,
        effective_on,
        donor,
        recipient,
        programme,
        aid_type,
        change,
        amount_change,
        currency,
        amount_change_eur,
        amount_change_usd,
        conversion_note,
        fiscal_year,
        coalesce(fiscal_year, year(coalesce(effective_on, announced_on))) as fiscal_year_effective,
        description,
        source_url,
        source_name,
        source,
        source_file,
        source_sha256,
        source_row,
        source_extra,
        ingest_seq,
        loaded_at

    from current_aid_changes

)

select * from final
