-- Every row behind every figure of country_issue_figures, one per (fact row, figure it counts in).

with

final as (

    select * from {{ ref('int_figure_rows_aid_to_ukraine') }}
    union all
    select * from {{ ref('int_figure_rows_aid_programmes') }}
    union all
    select * from {{ ref('int_figure_rows_sanctions') }}
    union all
    select * from {{ ref('int_figure_rows_designations') }}
    union all
    select * from {{ ref('int_figure_rows_oil') }}

)

select * from final
