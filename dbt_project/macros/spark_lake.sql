{#- Spark reads the dbt sources from the lake (ingestion/lake.py): before a run, each source becomes a view
    over its Parquet folder, `$PLEDGEWATCH_LAKE/<schema>/<table>/` (a partitioned table without its partition
    column, named by the source's `meta.lake_partition`). DuckDB reads its own tables: nothing to do. -#}
{% macro register_lake_sources() %}{{ adapter.dispatch('register_lake_sources')() }}{% endmacro %}

{% macro default__register_lake_sources() %}{% endmacro %}

{% macro spark__register_lake_sources() %}
    {%- if execute -%}
        {%- set lake = env_var('PLEDGEWATCH_LAKE', '') -%}
        {%- if not lake -%}
            {{ exceptions.raise_compiler_error("PLEDGEWATCH_LAKE names no lake: the spark target reads the sources "
                                               "from <home>/lake (written by every publish)") }}
        {%- endif -%}
        {%- set schemas = [] -%}
        {%- for source in graph.sources.values() -%}
            {%- if source.schema not in schemas -%}
                {%- do schemas.append(source.schema) -%}
                {%- do run_query('create database if not exists ' ~ source.schema) -%}
            {%- endif -%}
            {%- set partition = source.meta.get('lake_partition') -%}
            {%- do run_query('create or replace view ' ~ source.schema ~ '.' ~ source.identifier ~ ' as select *'
                             ~ (' except (' ~ partition ~ ')' if partition else '')
                             ~ ' from parquet.`' ~ lake ~ '/' ~ source.schema ~ '/' ~ source.identifier ~ '`') -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

{#- The contract's column types are DuckDB's names; Spark calls varchar `string` and a timestamp without a
    time zone (what DuckDB writes to Parquet) `timestamp_ntz`. The contract is checked with those. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spark_types = {'varchar': 'string', 'timestamp': 'timestamp_ntz'} -%}
    {%- set translated = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set data_type = column['data_type'] -%}
        {%- set spark_column = {} -%}
        {%- do spark_column.update(column) -%}
        {%- do spark_column.update({'data_type': spark_types.get(data_type | lower, data_type)}) -%}
        {%- do translated.update({name: spark_column}) -%}
    {%- endfor -%}
    {{ default__get_empty_schema_sql(translated) }}
{%- endmacro %}

{#- Seeds on Spark: dbt-spark's session cursor does not escape quotes in bound values (figures.csv has
    apostrophes), so the rows are written as escaped literals. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set rows = [] -%}
    {%- for row in agate_table.rows -%}
        {%- set values = [] -%}
        {%- for col_name in agate_table.column_names -%}
            {%- set value = row[loop.index0] -%}
            {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
            {%- if value is none -%}
                {%- do values.append('cast(null as ' ~ type ~ ')') -%}
            {%- else -%}
                {%- set text = (value | string).replace('\\', '\\\\').replace("'", "\\'") -%}
                {%- do values.append("cast('" ~ text ~ "' as " ~ type ~ ")") -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do rows.append('(' ~ values | join(', ') ~ ')') -%}
    {%- endfor -%}
    {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ rows | join(', ') -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {{ return(sql) }}
{% endmacro %}
