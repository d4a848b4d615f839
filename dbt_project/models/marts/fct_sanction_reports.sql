with
sanction_reports as (select * from {{ ref('int_sanction_reports_ranked') }}),

final as (

    select {{ star_except(['report_rank', 'report_count', 'first_reported_on']) }} from sanction_reports

)

select * from final
