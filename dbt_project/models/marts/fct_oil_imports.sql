with

oil_imports as (

    select * from {{ ref('int_oil_imports_current') }}

),

final as (

    select
        {{ row_id() }} as oil_import_id,
        period,
        importer,
        origin,
        route,
        via_country,
        product,
        volume_tonnes,
        value,
        currency,
        value_eur,
        value_usd,
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

    from oil_imports

)

select * from final
