{#- Every report of an id (`pledge_id`, `measure_id`) of current files, ranked: report_rank 1 is its latest
    report by file ingestion order (ingest_seq, then load_row, then source_file, all descending),
    report_count its number of reports, first_reported_on the earliest announced_on over them. -#}
{% macro reports_ranked(relation, id_column) -%}
with

current_reports as (

    {{ rows_of_current_files(relation) }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by {{ id_column }}
            order by ingest_seq desc, load_row desc, source_file desc
        ) as report_rank,
        count(*) over (partition by {{ id_column }}) as report_count,
        min(announced_on) over (partition by {{ id_column }}) as first_reported_on

    from current_reports

),

final as (

    select
        *,
        report_rank = 1 as is_latest_report

    from ranked

)

select * from final
{%- endmacro %}
