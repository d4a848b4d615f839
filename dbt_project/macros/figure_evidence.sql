{#- The columns every figure row ends with (int_figure_rows): how partial it is, and the publisher's row behind it.
    `dataset`: the raw table; `evidence_id`, `event_on`: the evidence row's id and date; `date_precision`,
    `is_partial`, `period_gap`: expressions where the row's own columns do not say it. -#}
{% macro figure_evidence(dataset, evidence_id, event_on, date_precision='date_precision',
                         is_partial='is_partial', period_gap='false') %}
        {{ is_partial }} as is_partial,
        {{ period_gap }} as period_gap,
        {{ date_precision }} as date_precision,
        source_label,
        source_file,
        '{{ dataset }}' as dataset,
        {{ evidence_id }} as evidence_id,
        {{ event_on }} as event_on,
        source_row
{%- endmacro %}
