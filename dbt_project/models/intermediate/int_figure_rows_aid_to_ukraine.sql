-- The rows behind each aid_to_ukraine figure, one per fact row and figure it counts in (measure
-- null where the row does not measure the figure). Figures by Kiel's own terms: allocated (Kiel's
-- category columns, and extracts with status allocated), committed and committed-not-allocated
-- (Kiel's commitments), pledged and delivered (what hand-written pledge rows say), obligations and
-- disbursements (ForeignAssistance.gov levels).
with

pledges as (

    select * from {{ ref('int_pledges_counted') }}
    where counted_in_figures
        and status != 'withdrawn'
        and recipient = 'UKR'

),

commitments as (

    select * from {{ ref('int_pledge_commitments_cumulative') }}
    where recipient = 'UKR'

),

levels as (

    select * from {{ ref('int_aid_levels_current') }}
    where recipient = 'UKR'
        and currency = 'USD'

),

latest_full_years as (

    -- the latest fiscal year the source has finished reporting, per donor and measure
    select
        donor,
        measure,
        max(fiscal_year) as fiscal_year

    from levels
    where not coalesce(is_partial, false)
    group by donor, measure

),

pledge_rows as (

    select
        donor as country,
        case status
            when 'allocated' then 'allocated_eur_'
            when 'delivered' then 'delivered_eur_'
            else 'pledged_eur_'
        end || category as figure,
        'EUR' as unit,
        amount_eur as measure,
        'cumulative' as period_kind,
        announced_on as period_from,
        {{ period_end('announced_on', 'date_precision') }} as period_to,
        {{ figure_evidence('pledges', 'pledge_id', 'announced_on') }}

    from pledges

),

commitment_rows as (

    select
        donor as country,
        figure,
        'EUR' as unit,
        case
            when figure = 'committed_eur' then commitments_eur
            -- not measured where Kiel gives no separate commitments for the donor
            when has_separate_commitments then to_be_allocated_eur
        end as measure,
        'cumulative' as period_kind,
        period as period_from,
        last_day(period) as period_to,
        {{ figure_evidence('pledge_commitments', row_id(), 'period', date_precision="'month'") }}

    from commitments
    cross join (values ('committed_eur'), ('committed_not_allocated_eur')) as figures (figure)

),

kiel_zero_rows as (

    -- Kiel's panel gives all three categories for every donor-month it lists, and a zero cell gives no
    -- pledge: each month of the release counts as a measured 0 in the three allocation figures (adding
    -- nothing), so a donor Kiel reports with no military aid shows a measured 0, not a missing figure
    select
        donor as country,
        'allocated_eur_' || categories.category as figure,
        'EUR' as unit,
        0.0 as measure,
        'cumulative' as period_kind,
        period as period_from,
        last_day(period) as period_to,
        {{ figure_evidence('pledge_commitments', row_id(), 'period', date_precision="'month'") }}

    from commitments
    cross join (values ('military'), ('financial'), ('humanitarian')) as categories (category)
    where source = 'kiel-ust'

),

level_rows as (

    select
        levels.donor as country,
        levels.measure || '_usd_latest_full_fy' as figure,
        'USD' as unit,
        levels.amount as measure,
        'fiscal_year' as period_kind,
        levels.period_from,
        levels.period_to,
        levels.is_partial,
        false as period_gap,
        'fiscal_year' as date_precision,
        levels.source_label,
        levels.source_file,
        'aid_levels' as dataset,
        levels.aid_level_id as evidence_id,
        levels.period_from as event_on,
        levels.source_row

    from levels
    inner join latest_full_years
        on levels.donor = latest_full_years.donor
        and levels.measure = latest_full_years.measure
        and levels.fiscal_year = latest_full_years.fiscal_year

),

final as (

    select 'aid_to_ukraine' as issue, * from pledge_rows
    union all
    select 'aid_to_ukraine' as issue, * from commitment_rows
    union all
    select 'aid_to_ukraine' as issue, * from kiel_zero_rows
    union all
    select 'aid_to_ukraine' as issue, * from level_rows

)

select * from final
