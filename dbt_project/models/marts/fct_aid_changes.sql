with

aid_changes as (

    select * from {{ ref('int_aid_changes_with_fiscal_year') }}

),

final as (

    select
        aid_change_id,
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
        fiscal_year_effective,
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

    from aid_changes

)

select * from final
