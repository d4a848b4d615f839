{#- Surrogate id of a loaded row: md5 of its source file and row number (source_file || source_row). -#}
{% macro row_id(source_file='source_file', source_row='source_row') -%}
    md5({{ source_file }} || cast({{ source_row }} as varchar))
{%- endmacro %}
