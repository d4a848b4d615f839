"""Every query the report runs, in one place: one named query per chart, plus the sources and the warehouse.

The charts of ``report.py`` read nothing else, so when the marts change, this module is the one
to adapt. Each chart query returns exactly the rows the chart plots (one mark, or one stacked
segment, per row), and each row names where it comes from:

- ``source_file``: the loaded file (``meta.file_registry``) behind the row, a varchar, or a
  list of them where a row draws on several files;
- ``source_label``: how the marts name that file's release (format, release, as-of date, the
  days its data cover; or ``extract <file>``), where the mart carries it;
- ``source_row`` and ``publisher_rows``: the row in that file, and for a publisher's file the
  publisher's own lines behind it (the marts' ``source_rows``: ``"7"``, ``"7-9"`` or
  ``"7;12;40"``).

A query that finds no rows is a chart with nothing to show: the report says which input is
missing, never draws an empty axis or a zero line. Amounts stay as the marts give them (EUR or
USD, not rounded); a missing amount stays null, and sums over it become null, not smaller. A
period a source had not finished reporting keeps the marts' ``is_partial`` flag, so the chart
can say so instead of showing a fall.

Mart columns relied on (``dbt_project/models/marts/_marts.yml``):

- ``country_issue``: country, country_name, country_kind, issue, stance, stance_on, stance_actor,
  stance_summary, stance_source, evidence_count; ``fct_positions``: country, issue, is_current,
  source_file, source_row; ``ref.issues``: issue, label.
- ``fct_pledges`` (``source = 'kiel-ust'``, Kiel's allocations): donor, announced_on (the
  month's first day), amount_eur, is_partial, source_label, source_file, source_rows;
  ``fct_pledge_commitments`` (``source = 'kiel-ust'``): donor, period, commitments_eur,
  committed_not_allocated_eur, has_separate_commitments, is_partial, source_label, source_file,
  source_rows.
- ``fct_aid_levels`` (``source = 'us-foreign-assistance'``, donor USA, recipient UKR, currency
  USD): donor, recipient, fiscal_year, period_from, period_to, measure (obligations,
  disbursements), amount, is_partial, source_label, source_as_of, source_file, source_row,
  source_rows.
- ``fct_oil_imports`` (``source = 'crea-values'``, origin RUS): period, importer, product,
  value_eur, is_partial, source_label, source_file, source_row, source_rows.
- ``designations_by_month``: list_id, imposed_by, month, additions, delistings;
  ``fct_designation_changes``: list_id, as_of, previous_as_of, change, source_file;
  ``fct_designations``: list_id, imposed_by, first_seen, last_seen, is_listed, source_file.
- ``fct_sanctions`` (``status = 'in_force'``): imposed_by, target, measure_type, source,
  source_label, source_file, source_row.
- ``dim_country``: iso3, name, for every code a chart shows (donors, recipients, CREA's
  destinations ``EU_MEMBER_STATES`` and ``OTHERS_CREA``, imposers such as ``EUU``, list keepers).
- ``meta.file_registry`` (source_file, dataset, row_count, source_sha256, loaded_at) and
  ``meta.source_releases`` (source, release_key, release, as_of, data_from, data_to,
  rows_skipped) for each file's release and load.
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
-- Per donor and month of the current kiel-ust release, in Kiel's terms: allocated (fct_pledges,
-- status allocated, all categories summed), committed (fct_pledge_commitments.commitments_eur) and
-- committed but not yet allocated (committed_not_allocated_eur, Kiel's running `to_be_allocated`),
-- each in the month and cumulated since the donor's first month. A month without a row of its own
-- adds nothing (Kiel lists a donor-month only where something happened); a row without an EUR
-- amount makes the running sum unknown (null) from that month on, never smaller. is_partial: the
-- release's last month, which Kiel had not finished reporting.
with allocations as (
    select
        donor,
        announced_on as month,
        source_file,
        sum(amount_eur) as allocated_eur,
        count(*) filter (where amount_eur is null) as allocated_without_eur,
        bool_or(coalesce(is_partial, false)) as is_partial,
        any_value(source_label) as source_label,
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
        commitments_eur as committed_eur,
        case when commitments_eur is null then 1 else 0 end as committed_without_eur,
        committed_not_allocated_eur,
        has_separate_commitments,
        coalesce(is_partial, false) as is_partial,
        source_label,
        source_rows as publisher_rows
    from marts.fct_pledge_commitments
    where source = 'kiel-ust'
),
joined as (
    select
        coalesce(a.donor, c.donor) as donor,
        coalesce(a.month, c.month) as month,
        coalesce(c.source_file, a.source_file) as source_file,
        coalesce(c.source_label, a.source_label) as source_label,
        a.allocated_eur,
        c.committed_eur,
        c.committed_not_allocated_eur,
        c.has_separate_commitments,
        coalesce(a.is_partial, false) or coalesce(c.is_partial, false) as is_partial,
        coalesce(a.allocated_without_eur, 0) as allocated_without_eur,
        coalesce(c.committed_without_eur, 0) as committed_without_eur,
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
        case when sum(allocated_without_eur) over running = 0
             then coalesce(sum(allocated_eur) over running, 0) end as allocated_cumulative_eur,
        case when sum(committed_without_eur) over running = 0
             then coalesce(sum(committed_eur) over running, 0) end as committed_cumulative_eur
    from joined
    window running as (partition by donor, source_file order by month
                       rows between unbounded preceding and current row)
)
select
    cumulated.donor,
    coalesce(country.name, cumulated.donor) as donor_name,
    cumulated.month,
    cumulated.is_partial,
    cumulated.allocated_eur,
    cumulated.committed_eur,
    cumulated.allocated_cumulative_eur,
    cumulated.committed_cumulative_eur,
    cumulated.committed_not_allocated_eur,
    cumulated.has_separate_commitments,
    cumulated.source_label,
    cumulated.source_file,
    cumulated.publisher_rows
from cumulated
left join marts.dim_country as country
    on country.iso3 = cumulated.donor
order by donor_name, cumulated.month
""")

US_AID_LEVELS = Query("us_aid_levels", """
-- US aid to Ukraine per fiscal year as ForeignAssistance.gov reports it, all programmes, current
-- USD: obligations (legally committed) and disbursements (paid out), one row per fiscal year and
-- measure (fct_aid_levels). is_partial marks the release's latest fiscal year, which the source
-- had not finished reporting: its amount is what was reported so far, not a fall. Latest year
-- first, so the table under the chart starts with it.
select
    levels.donor,
    levels.recipient,
    coalesce(country.name, levels.recipient) as recipient_name,
    levels.fiscal_year,
    levels.period_from,
    levels.period_to,
    levels.measure,
    levels.amount as amount_usd,
    coalesce(levels.is_partial, false) as is_partial,
    levels.source_label,
    levels.source_as_of,
    levels.source_file,
    levels.source_row,
    levels.source_rows as publisher_rows
from marts.fct_aid_levels as levels
left join marts.dim_country as country
    on country.iso3 = levels.recipient
where levels.source = 'us-foreign-assistance'
    and levels.donor = 'USA'
    and levels.recipient = 'UKR'
    and levels.currency = 'USD'
order by levels.fiscal_year desc, levels.measure desc
""")

CREA_EXPORT_VALUES = Query("crea_export_values", f"""
-- Value of Russian fossil fuel exports per destination, product and month, as CREA estimates it
-- (crea-values: the monthly sum of the daily `Without price cap` values). A destination is named
-- as dim_country names its code: CREA's `EU` is EU_MEMBER_STATES (the member states together),
-- its `Others` OTHERS_CREA (the rest of the world). days_with_data counts the publisher's daily
-- rows summed into the month (source_rows); is_partial marks a month the file covers only in part.
select
    oil.period as month,
    oil.importer as destination,
    coalesce(country.name, oil.importer) as destination_name,
    oil.product,
    oil.value_eur,
    cast({_PUBLISHER_ROW_COUNT.format(rows="oil.source_rows").strip()} as bigint) as days_with_data,
    coalesce(oil.is_partial, false) as is_partial,
    oil.source_label,
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
    months.list_id || ' (' || coalesce(country.name, months.imposed_by) || ')' as list_label,
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
    sanctions.source_label,
    sanctions.source_file,
    string_agg(cast(sanctions.source_row as varchar), ';' order by sanctions.source_row) as source_rows
from marts.fct_sanctions as sanctions
left join marts.dim_country as country
    on country.iso3 = sanctions.imposed_by
where sanctions.status = 'in_force'
group by sanctions.imposed_by, country.name, sanctions.measure_type, sanctions.source, sanctions.source_label,
    sanctions.source_file
order by imposed_by_name, sanctions.measure_type
""")

SOURCES = Query("sources", """
-- The files behind a chart ($files): their source, release (release key, the publisher's release
-- name, the as_of date given with it and the first and last day its data cover), rows loaded and
-- skipped, SHA-256 and load time.
select
    files.source_file,
    files.dataset,
    coalesce(releases.source, 'extract') as source,
    releases.release_key,
    releases.release,
    releases.as_of,
    releases.data_from,
    releases.data_to,
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
    q.name: q for q in (HEATMAP_CELLS, KIEL_ALLOCATED_VS_COMMITTED, US_AID_LEVELS, CREA_EXPORT_VALUES,
                        DESIGNATION_CHANGES, MEASURES_IN_FORCE)
}
