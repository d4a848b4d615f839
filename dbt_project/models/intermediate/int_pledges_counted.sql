with

pledges as (

    select * from {{ ref('int_pledge_reports_ranked') }}
    where is_latest_report

),

pledge_commitments as (select * from {{ ref('int_pledge_commitments_cumulative') }}),

release_months as (

    -- (donor, recipient, month) the current kiel-ust release reports: Kiel's panel has one row
    -- per donor and month giving all three categories (zero ones produce no pledge), seen in its
    -- pledge_commitments row or in any of its pledges for that month
    select donor, recipient, period, source_file
    from pledge_commitments
    where source = 'kiel-ust'

    union all

    select donor, recipient, date_trunc('month', announced_on) as period, source_file
    from pledges
    where source = 'kiel-ust'

),

covered_months as (

    select
        donor,
        recipient,
        cast(period as date) as period,
        min(source_file) as covered_by_source_file

    from release_months
    group by donor, recipient, cast(period as date)

),

final as (

    select
        {{ star_except(['report_rank', 'is_latest_report'], 'pledges') }},
        -- a hand-written pledge in a donor, month and category a publisher release covers stays
        -- visible but is not added on top of the release's figure
        covered_months.covered_by_source_file,
        covered_months.covered_by_source_file is null as counted_in_figures

    from pledges
    left join covered_months
        on pledges.source = 'extract'
        and pledges.category in ('military', 'financial', 'humanitarian')
        and pledges.donor = covered_months.donor
        and pledges.recipient = covered_months.recipient
        and cast(date_trunc('month', pledges.announced_on) as date) = covered_months.period

)

select * from final
