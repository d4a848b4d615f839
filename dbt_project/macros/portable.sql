{#- Where DuckDB's and Spark's SQL differ, one macro per difference (adapter.dispatch), so that every model
    is written once and builds on both targets: `duckdb__` for the warehouse, `spark__` for
    PLEDGEWATCH_ENGINE=spark (dbt-spark). Anything both dialects spell alike stays plain SQL. -#}

{#- The string type of a cast (Spark requires a length for varchar). -#}
{% macro string_type() %}{{ adapter.dispatch('string_type')() }}{% endmacro %}
{% macro duckdb__string_type() %}varchar{% endmacro %}
{% macro spark__string_type() %}string{% endmacro %}

{#- `*` but the named columns, optionally of one relation (`prefix.*`). -#}
{% macro star_except(columns, prefix=none) %}{{ adapter.dispatch('star_except')(columns, prefix) }}{% endmacro %}
{% macro duckdb__star_except(columns, prefix) -%}
    {{ prefix ~ '.' if prefix }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}
{% macro spark__star_except(columns, prefix) -%}
    {{ prefix ~ '.' if prefix }}* except ({{ columns | join(', ') }})
{%- endmacro %}

{#- The distinct non-null values of `column`, sorted, joined by `separator` (NULL when there are none). -#}
{% macro string_agg_distinct(column, separator) %}{{ adapter.dispatch('string_agg_distinct')(column, separator) }}{% endmacro %}
{% macro duckdb__string_agg_distinct(column, separator) -%}
    string_agg(distinct {{ column }}, '{{ separator }}' order by {{ column }})
{%- endmacro %}
{#- (Spark 4's `string_agg(distinct ...) within group (order by ...)` fails beside other aggregates) -#}
{% macro spark__string_agg_distinct(column, separator) -%}
    case when count({{ column }}) > 0 then array_join(array_sort(collect_set({{ column }})), '{{ separator }}') end
{%- endmacro %}

{#- A date as text: `day` YYYY-MM-DD, `month` YYYY-MM. -#}
{% macro format_date(column, precision='day') %}{{ adapter.dispatch('format_date')(column, precision) }}{% endmacro %}
{% macro duckdb__format_date(column, precision) -%}
    strftime({{ column }}, '{{ "%Y-%m" if precision == "month" else "%Y-%m-%d" }}')
{%- endmacro %}
{% macro spark__format_date(column, precision) -%}
    date_format({{ column }}, '{{ "yyyy-MM" if precision == "month" else "yyyy-MM-dd" }}')
{%- endmacro %}

{#- True when `text` begins with `prefix`. -#}
{% macro starts_with(text, prefix) %}{{ adapter.dispatch('starts_with')(text, prefix) }}{% endmacro %}
{% macro duckdb__starts_with(text, prefix) %}starts_with({{ text }}, {{ prefix }}){% endmacro %}
{% macro spark__starts_with(text, prefix) %}startswith({{ text }}, {{ prefix }}){% endmacro %}

{#- A join clause giving one row per part of `column` split at `separator` (a literal character), as
    `alias.name`: put it where a `cross join` would go. -#}
{% macro split_to_rows(column, separator, alias, name) %}{{ adapter.dispatch('split_to_rows')(column, separator, alias, name) }}{% endmacro %}
{% macro duckdb__split_to_rows(column, separator, alias, name) -%}
    cross join unnest(string_split({{ column }}, '{{ separator }}')) as {{ alias }} ({{ name }})
{%- endmacro %}
{% macro spark__split_to_rows(column, separator, alias, name) -%}
    lateral view explode(split({{ column }}, '\\Q{{ separator }}\\E')) {{ alias }} as {{ name }}
{%- endmacro %}

{#- The space-separated words of `column` in sorted order. -#}
{% macro sorted_words(column) %}{{ adapter.dispatch('sorted_words')(column) }}{% endmacro %}
{% macro duckdb__sorted_words(column) -%}
    array_to_string(list_sort(string_split({{ column }}, ' ')), ' ')
{%- endmacro %}
{% macro spark__sorted_words(column) -%}
    array_join(array_sort(split({{ column }}, ' ')), ' ')
{%- endmacro %}
