{#- Rows of `relation` from current files, with their `source` (format name, or 'extract').
    Extracts are always current; rows of superseded publisher releases stay in raw as history,
    not here (see int_source_files). -#}
{% macro rows_of_current_files(relation) -%}
    select
        rows_.*,
        coalesce(source_files.source, 'extract') as source

    from {{ relation }} as rows_
    left join {{ ref('int_source_files') }} as source_files
        on rows_.source_file = source_files.source_file
    where coalesce(source_files.is_current, true)
{%- endmacro %}
