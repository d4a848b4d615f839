with

oil_imports as (

    select * from {{ ref('stg_oil_imports') }}

),

source_files as (

    select * from {{ ref('int_source_files') }}

),

final as (

    -- rows of superseded publisher releases stay in raw as history, not here
    select
        oil_imports.period,
        oil_imports.importer,
        oil_imports.origin,
        oil_imports.route,
        oil_imports.via_country,
        oil_imports.product,
        oil_imports.volume_tonnes,
        oil_imports.value,
        oil_imports.currency,
        oil_imports.value_eur,
        oil_imports.value_usd,
        oil_imports.conversion_note,
        oil_imports.source_url,
        oil_imports.source_name,
        coalesce(source_files.source, 'extract') as source,
        oil_imports.source_file,
        oil_imports.source_sha256,
        oil_imports.source_row,
        oil_imports.source_extra,
        oil_imports.ingest_seq,
        oil_imports.loaded_at

    from oil_imports
    left join source_files
        on oil_imports.source_file = source_files.source_file
    where coalesce(source_files.is_current, true)

)

select * from final
