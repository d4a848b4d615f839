with
-- rows of superseded publisher releases stay in raw as history, not here
current_oil_imports as ({{ rows_of_current_files(ref('stg_oil_imports')) }}),

final as (

    select
        {{ row_id() }} as oil_import_id,
        *

    from current_oil_imports

)

select * from final
