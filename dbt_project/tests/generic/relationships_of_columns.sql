{#- Fails on every combination of the given columns (all not null) that has no row with the same values in `fields` of `to`. -#}
{% test relationships_of_columns(model, columns, to, fields) %}

with

child as (

    select distinct
        {{ columns | join(',\n        ') }}

    from {{ model }}
    where {{ columns | join(' is not null and ') }} is not null

),

parent as (

    select distinct
        {{ fields | join(',\n        ') }}

    from {{ to }}

),

final as (

    select child.*

    from child
    left join parent
        on {% for column in columns -%}
        child.{{ column }} = parent.{{ fields[loop.index0] }}{% if not loop.last %}
        and {% endif %}
        {%- endfor %}
    where parent.{{ fields[0] }} is null

)

select * from final

{% endtest %}
