{#- Rows of `relation` from current files, with what the figures cite of their file: `source` (format
    name, or 'extract'), `source_release` and `source_as_of` (the release's --as-of, else its data
    cut-off) and `source_label`. Extracts are always current; rows of superseded publisher releases
    stay in raw as history, not here (see int_source_files). -#}
{% macro rows_of_current_files(relation) -%}
    select
        rows_.*,
        coalesce(source_files.source, 'extract') as source,
        source_files.release as source_release,
        coalesce(source_files.as_of, source_files.data_to) as source_as_of,
        coalesce(source_files.source_label, 'extract ' || rows_.source_file) as source_label

    from {{ relation }} as rows_
    left join {{ ref('int_source_files') }} as source_files
        on rows_.source_file = source_files.source_file
    where coalesce(source_files.is_current, true)
{%- endmacro %}
