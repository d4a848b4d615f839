with
pledge_reports as (select * from {{ ref('int_pledge_reports_ranked') }}),

final as (

    select {{ star_except(['report_rank', 'report_count', 'first_reported_on']) }} from pledge_reports

)

select * from final
