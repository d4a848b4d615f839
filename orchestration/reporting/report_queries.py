"""Every query the report runs, in one place: one named query per chart, plus the sources and the warehouse.

The charts of ``report.py`` read nothing else, so when the marts change, this module is the one
to adapt. Each chart query returns exactly the rows the chart plots (one mark, or one stacked
segment, per row), and each row names where it comes from:

- ``source_file``: the loaded file (``meta.file_registry``) behind the row, a varchar, or a
  list of them where a row draws on several files;
- ``source_row`` / ``source_rows`` and ``publisher_rows``: the row(s) in that file, and for a
  publisher's file the publisher's own rows (``source_extra.source_rows``: ``"7"``, ``"7-9"``
  or ``"7;12;40"``).

A query that finds no rows is a chart with nothing to show: the report says which input is
missing, never draws an empty axis or a zero line. Amounts stay as the marts give them (EUR or
USD, not rounded); a missing amount stays null, and sums over it become null, not smaller.

Mart columns relied on (``dbt_project/models/marts/_marts.yml``):

- ``country_issue``: country, country_name, country_kind, issue, stance, stance_on, stance_actor,
  stance_summary, stance_source, evidence_count; ``fct_positions``: country, issue, is_current,
  source_file, source_row; ``ref.issues``: issue, label.
- ``fct_pledges`` (``source = 'kiel-ust'``): donor, announced_on (the month's first day),
  amount_eur, source_file, source_extra; ``fct_pledge_commitments``: donor, period,
  commitments_eur, committed_not_allocated_eur, source, source_file, source_extra.
- ``fct_aid_changes`` (``source = 'us-foreign-assistance'``): recipient, fiscal_year, change,
  amount_change_usd, description, source_file, source_row, source_extra.
- ``fct_oil_imports`` (``source = 'crea-values'``): period, importer, origin, product,
  value_eur, source_file, source_row, source_extra.
- ``designations_by_month``: list_id, imposed_by, month, additions, delistings;
  ``fct_designation_changes``: list_id, as_of, previous_as_of, change, source_file;
  ``fct_designations``: list_id, imposed_by, first_seen, last_seen, is_listed.
- ``fct_sanctions`` (``status = 'in_force'``): imposed_by, target, measure_type, source,
  source_file, source_row; ``dim_country``: iso3, name.
- ``meta.file_registry`` and ``meta.source_releases`` for each file's release and load.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    """A named SQL query over the published warehouse."""

    name: str
    sql: str


#: The publisher rows behind a row, as a count: ``"7"`` → 1, ``"7-9"`` → 3, ``"7;12;40"`` → 3.
_PUBLISHER_ROW_COUNT = """
    list_sum(list_transform(
        string_split({rows}, ';'),
        lambda r: case when contains(r, '-')
                  then cast(split_part(r, '-', 2) as bigint) - cast(split_part(r, '-', 1) as bigint) + 1
                  else 1 end))
"""

HEATMAP_CELLS = Query("heatmap_cells", """
-- One cell per country_issue row with a stance: who said it, when, where it was published,
-- and the positions row (file, row) of that current statement.
select
    ci.country,
    ci.country_name,
    ci.country_kind,
    ci.issue,
    coalesce(issues.label, ci.issue) as issue_label,
    ci.stance,
    ci.stance_on,
    ci.stance_actor,
    ci.stance_summary,
    ci.stance_source,
    ci.evidence_count,
    positions.source_file,
    positions.source_row
from marts.country_issue as ci
left join ref.issues as issues
    on issues.issue = ci.issue
left join marts.fct_positions as positions
    on positions.country = ci.country
    and positions.issue = ci.issue
    and positions.is_current
where ci.stance is not null
order by ci.country_name, ci.issue
""")

HEATMAP_ISSUES = Query("heatmap_issues", """
-- The heatmap's columns: every issue of the grid, with its label, in the order of ref.issues' labels.
select distinct
    ci.issue,
    coalesce(issues.label, ci.issue) as issue_label
from marts.country_issue as ci
left join ref.issues as issues
    on issues.issue = ci.issue
order by issue_label
""")

KIEL_ALLOCATED_VS_COMMITTED = Query("kiel_allocated_vs_committed", """
-- Per donor and month of the current kiel-ust release: allocations (fct_pledges, all categories
-- summed) and commitments (fct_pledge_commitments), each in the month and cumulated since the
-- donor's first month. A month without a row of its own adds nothing (Kiel lists a donor-month
-- only where something happened); a row without an EUR amount makes the running sum unknown
-- (null) from that month on, never smaller.
with allocations as (
    select
        donor,
        announced_on as month,
        source_file,
        sum(amount_eur) as allocated_eur,
        count(*) filter (where amount_eur is null) as allocations_without_eur,
        string_agg(distinct source_rows, ';') as publisher_rows
    from marts.fct_pledges
    where source = 'kiel-ust'
    group by donor, announced_on, source_file
),
commitments as (
    select
        donor,
        period as month,
        source_file,
        commitments_eur,
        case when commitments_eur is null then 1 else 0 end as commitments_without_eur,
        committed_not_allocated_eur,
        source_rows as publisher_rows
    from marts.fct_pledge_commitments
    where source = 'kiel-ust'
),
joined as (
    select
        coalesce(a.donor, c.donor) as donor,
        coalesce(a.month, c.month) as month,
        coalesce(c.source_file, a.source_file) as source_file,
        a.allocated_eur,
        c.commitments_eur,
        c.committed_not_allocated_eur,
        coalesce(a.allocations_without_eur, 0) as allocations_without_eur,
        coalesce(c.commitments_without_eur, 0) as commitments_without_eur,
        case when c.publisher_rows = a.publisher_rows then c.publisher_rows
             else concat_ws(';', c.publisher_rows, a.publisher_rows) end as publisher_rows
    from allocations as a
    full outer join commitments as c
        on a.donor = c.donor
        and a.month = c.month
        and a.source_file = c.source_file
),
cumulated as (
    select
        *,
        case when sum(allocations_without_eur) over running = 0
             then coalesce(sum(allocated_eur) over running, 0) end as allocated_cumulative_eur,
        case when sum(commitments_without_eur) over running = 0
             then coalesce(sum(commitments_eur) over running, 0) end as committed_cumulative_eur
    from joined
    window running as (partition by donor, source_file order by month
                       rows between unbounded preceding and current row)
)
select
    cumulated.donor,
    coalesce(country.name, cumulated.donor) as donor_name,
    cumulated.month,
    cumulated.allocated_eur,
    cumulated.commitments_eur,
    cumulated.allocated_cumulative_eur,
    cumulated.committed_cumulative_eur,
    cumulated.committed_not_allocated_eur,
    cumulated.source_file,
    cumulated.publisher_rows
from cumulated
left join marts.dim_country as country
    on country.iso3 = cumulated.donor
order by donor_name, cumulated.month
""")

US_OBLIGATIONS = Query("us_obligations", """
-- US obligations to Ukraine per fiscal year. Today the warehouse holds only the year-on-year
-- change of obligations (fct_aid_changes from us-foreign-assistance), not the obligation or
-- disbursement levels: the chart shows the changes and says so. When the marts carry the levels,
-- return one row per (fiscal_year, measure) with measure 'obligations' / 'disbursements' and
-- amount_usd, and switch the chart in report.py to levels.
select
    aid.recipient,
    coalesce(country.name, aid.recipient) as recipient_name,
    aid.fiscal_year,
    'obligations, change from the previous fiscal year' as measure,
    aid.change,
    aid.amount_change_usd,
    aid.description,
    aid.source_file,
    aid.source_row,
    aid.source_rows as publisher_rows
from marts.fct_aid_changes as aid
left join marts.dim_country as country
    on country.iso3 = aid.recipient
where aid.source = 'us-foreign-assistance'
    and aid.recipient = 'UKR'
order by aid.fiscal_year
""")

CREA_EXPORT_VALUES = Query("crea_export_values", f"""
-- Value of Russian fossil fuel exports per destination, product and month, as CREA estimates it
-- (crea-values: the monthly sum of the daily `Without price cap` values). days_with_data counts
-- the publisher's daily rows summed into the month.
select
    oil.period as month,
    oil.importer as destination,
    coalesce(country.name, oil.importer) as destination_name,
    oil.product,
    oil.value_eur,
    {_PUBLISHER_ROW_COUNT.format(rows="oil.source_rows").strip()} as days_with_data,
    oil.source_file,
    oil.source_row,
    oil.source_rows as publisher_rows
from marts.fct_oil_imports as oil
left join marts.dim_country as country
    on country.iso3 = oil.importer
where oil.source = 'crea-values'
    and oil.origin = 'RUS'
order by oil.period, destination_name, oil.product
""")

DESIGNATION_CHANGES = Query("designation_changes", """
-- Entries added to (listed + relisted) and removed from (delisted) each sanctions list per month
-- (designations_by_month, summed over targets and entity types), with the snapshot files whose
-- comparison found them and the snapshots compared.
with months as (
    select
        list_id,
        imposed_by,
        month,
        sum(additions) as additions,
        sum(delistings) as delistings
    from marts.designations_by_month
    group by list_id, imposed_by, month
),
snapshots as (
    select
        list_id,
        cast(date_trunc('month', as_of) as date) as month,
        min(previous_as_of) as earliest_previous_snapshot,
        max(as_of) as latest_snapshot,
        array_agg(distinct source_file order by source_file) as source_file
    from marts.fct_designation_changes
    where change in ('listed', 'relisted', 'delisted')
    group by list_id, cast(date_trunc('month', as_of) as date)
)
select
    months.list_id,
    months.imposed_by,
    coalesce(country.name, months.imposed_by) as imposed_by_name,
    months.month,
    months.additions,
    months.delistings,
    snapshots.earliest_previous_snapshot,
    snapshots.latest_snapshot,
    snapshots.source_file
from months
left join snapshots
    on snapshots.list_id = months.list_id
    and snapshots.month = months.month
left join marts.dim_country as country
    on country.iso3 = months.imposed_by
order by months.list_id, months.month
""")

DESIGNATION_LISTS = Query("designation_lists", """
-- The lists loaded, for the designations chart's empty state: the first and latest snapshot seen,
-- the entries listed now and the snapshot files that hold them.
select
    list_id,
    imposed_by,
    min(first_seen) as first_snapshot,
    max(last_seen) as latest_snapshot,
    count(*) filter (where is_listed) as listed_now,
    array_agg(distinct source_file order by source_file) as source_file
from marts.fct_designations
group by list_id, imposed_by
order by list_id
""")

MEASURES_IN_FORCE = Query("measures_in_force", """
-- Sanctions measures in force per imposer and measure type (fct_sanctions, status in_force per
-- each measure's latest report), all targets and Russia alone; one row per file they come from.
select
    sanctions.imposed_by,
    coalesce(country.name, sanctions.imposed_by) as imposed_by_name,
    sanctions.measure_type,
    count(*) as measures,
    count(*) filter (where sanctions.target = 'RUS') as measures_on_russia,
    sanctions.source,
    sanctions.source_file,
    string_agg(cast(sanctions.source_row as varchar), ';' order by sanctions.source_row) as source_rows
from marts.fct_sanctions as sanctions
left join marts.dim_country as country
    on country.iso3 = sanctions.imposed_by
where sanctions.status = 'in_force'
group by sanctions.imposed_by, country.name, sanctions.measure_type, sanctions.source, sanctions.source_file
order by imposed_by_name, sanctions.measure_type
""")

SOURCES = Query("sources", """
-- The files behind a chart ($files): their source, release (as_of, release key), rows loaded and
-- skipped, SHA-256 and load time.
select
    files.source_file,
    files.dataset,
    coalesce(releases.source, 'extract') as source,
    releases.release_key,
    releases.as_of,
    files.row_count,
    releases.rows_skipped,
    files.source_sha256,
    files.loaded_at
from meta.file_registry as files
left join meta.source_releases as releases
    on releases.source_file = files.source_file
where list_contains($files, files.source_file)
order by files.source_file
""")

WAREHOUSE = Query("warehouse", """
-- What the warehouse holds: files loaded and the latest load.
select
    count(*) as files_loaded,
    max(loaded_at) as latest_load
from meta.file_registry
""")

#: The chart queries by name.
CHART_QUERIES: dict[str, Query] = {
    q.name: q for q in (HEATMAP_CELLS, KIEL_ALLOCATED_VS_COMMITTED, US_OBLIGATIONS, CREA_EXPORT_VALUES,
                        DESIGNATION_CHANGES, MEASURES_IN_FORCE)
}
