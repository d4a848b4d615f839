{#- Surrogate id of a loaded row: md5 of its file and its place among the file's loaded rows. -#}
{% macro row_id(source_file='source_file', load_row='load_row') -%}
    md5({{ source_file }} || ':' || cast({{ load_row }} as {{ string_type() }}))
{%- endmacro %}
