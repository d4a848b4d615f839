-- The rows behind each aid_programmes figure (a donor's aid changes to any recipient): the amounts
-- of its latest fiscal year the source has finished reporting, and the changes without an amount,
-- each counted on its own so that neither hides the other.
with
changes as (select * from {{ ref('int_aid_changes_with_fiscal_year') }}),

latest_full_years as (

    select
        donor,
        max(fiscal_year_effective) as fiscal_year

    from changes
    where amount_change_usd is not null
        and not coalesce(is_partial, false)
    group by donor

),

latest_year_changes as (

    select
        changes.*,
        -- a publisher's fiscal year starts on its own first day; an extract's fiscal year is its calendar year
        case when changes.date_precision = 'fiscal_year' then changes.announced_on
            else make_date(changes.fiscal_year_effective, 1, 1) end as year_from,
        case when changes.date_precision = 'fiscal_year' then {{ period_end('changes.announced_on', "'fiscal_year'") }}
            else make_date(changes.fiscal_year_effective, 12, 31) end as year_to

    from changes
    inner join latest_full_years
        on changes.donor = latest_full_years.donor
        and changes.fiscal_year_effective = latest_full_years.fiscal_year
    where changes.amount_change_usd is not null

),

amount_rows as (

    select
        donor as country,
        figure,
        case when figure = 'aid_changes_count_latest_full_fy' then 'changes' else 'USD' end as unit,
        case when figure = 'aid_changes_count_latest_full_fy' then 1.0 else amount_change_usd end as measure,
        'fiscal_year' as period_kind,
        year_from as period_from,
        year_to as period_to,
        {{ figure_evidence('aid_changes', 'aid_change_id', 'announced_on') }}

    from latest_year_changes
    cross join (values ('aid_net_change_usd_latest_full_fy'), ('aid_changes_count_latest_full_fy')) as figures (figure)

),

unquantified_rows as (

    select
        donor as country,
        'aid_changes_without_amount_count' as figure,
        'changes' as unit,
        1.0 as measure,
        'dated' as period_kind,
        announced_on as period_from,
        {{ period_end('announced_on', 'date_precision') }} as period_to,
        {{ figure_evidence('aid_changes', 'aid_change_id', 'announced_on') }}

    from changes
    where amount_change is null

),

final as (

    select 'aid_programmes' as issue, * from amount_rows
    union all
    select 'aid_programmes' as issue, * from unquantified_rows

)

select * from final
