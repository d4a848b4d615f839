{#- An id reported in several files is one pledge or measure: every report of an id (`column_name`)
    must name the same `parties` (donor and recipient; imposer and target). Ingestion checks one file
    at a time, so two files that reuse an id for different things pass it and are caught here; the
    refresh then keeps the previous marts. -#}
{% test reports_keep_their_parties(model, column_name, parties) %}

with

final as (

    select
        {{ column_name }},
        {% for party in parties -%}
        count(distinct {{ party }}) as {{ party }}_count{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ model }}
    group by {{ column_name }}
    having {% for party in parties -%}
        count(distinct {{ party }}) > 1{% if not loop.last %} or {% endif %}
    {%- endfor %}

)

select * from final

{% endtest %}
