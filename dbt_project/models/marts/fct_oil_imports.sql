{#- A view on DuckDB (_marts.yml: the rows are not copied again); a table on Spark, whose views are planned
    again by every reader. -#}
{{ config(materialized=('table' if target.type == 'spark' else 'view')) }}
select * from {{ ref('int_oil_imports_current') }}
