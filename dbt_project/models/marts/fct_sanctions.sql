with

sanction_reports as (

    select * from {{ ref('int_sanction_reports_ranked') }}
    where is_latest_report

),

final as (

    select {{ star_except(['report_rank', 'is_latest_report']) }} from sanction_reports

)

select * from final
