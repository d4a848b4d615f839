{#- `model` holds, for each id (`column_name`) of `reports`, the report with the highest
    (ingest_seq, load_row, source_file), and counts all of its reports. -#}
{% test holds_latest_report(model, column_name, reports) %}

with

expected as (

    select
        {{ column_name }},
        arg_max(source_file, (ingest_seq, load_row, source_file)) as source_file,
        arg_max(load_row, (ingest_seq, load_row, source_file)) as load_row,
        count(*) as report_count,
        min(announced_on) as first_reported_on

    from {{ reports }}
    group by {{ column_name }}

),

final as (

    select
        coalesce(expected.{{ column_name }}, model_.{{ column_name }}) as {{ column_name }}

    from expected
    full outer join {{ model }} as model_
        on expected.{{ column_name }} = model_.{{ column_name }}
    where model_.{{ column_name }} is null
        or expected.{{ column_name }} is null
        or model_.source_file != expected.source_file
        or model_.load_row != expected.load_row
        or model_.report_count != expected.report_count
        or model_.first_reported_on != expected.first_reported_on

)

select * from final

{% endtest %}
