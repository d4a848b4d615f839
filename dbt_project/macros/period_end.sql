{#- The last day of the period a date stands for, by its precision (a month's, a year's, a US fiscal year's). -#}
{% macro period_end(date_column, precision_column) -%}
    case {{ precision_column }}
        when 'month' then last_day({{ date_column }})
        when 'year' then make_date(year({{ date_column }}), 12, 31)
        when 'fiscal_year' then cast({{ date_column }} + interval 1 year - interval 1 day as date)
        else {{ date_column }}
    end
{%- endmacro %}
