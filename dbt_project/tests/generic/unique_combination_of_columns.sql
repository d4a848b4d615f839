{#- Fails on every combination of the given columns that occurs in more than one row. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

duplicates as (

    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as row_count

    from {{ model }}
    group by all
    having count(*) > 1

)

select * from duplicates

{% endtest %}
