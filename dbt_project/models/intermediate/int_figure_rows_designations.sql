-- The rows behind each designations figure of sanctions_on_russia, per list keeper: one baseline
-- row per list and figure that applies to it (0, so a list that was loaded and holds none counts
-- as a measured 0; null for the snapshot-compared additions of a list with a single snapshot,
-- which nothing can be compared with; the family figures only for lists with that family), then
-- one row per entry or addition counted.
with
lists as (select * from {{ ref('int_designation_lists') }}),
all_entries as (select * from {{ ref('int_designation_entries_with_status') }}),

entries as (

    select * from all_entries
    where is_listed

),

changes as (

    select * from {{ ref('stg_designation_changes') }}
    where change in ('listed', 'relisted')
        and target = 'RUS'

),

entry_programmes as (

    select * from {{ ref('int_designation_entry_programmes') }}
    where is_listed
        and family in ('russia_eo14024', 'ukraine_related', 'caatsa_russia', 'russia_regime')

),

list_families as (

    select distinct
        list_id,
        'designations_listed_' || family as figure

    from {{ ref('stg_programme_families') }}
    where family in ('russia_eo14024', 'ukraine_related', 'caatsa_russia', 'russia_regime')

),

source_files as (select * from {{ ref('int_source_files') }}),

list_windows as (

    select
        lists.*,
        cast(lists.latest_as_of - interval 12 month + interval 1 day as date) as window_from,
        coalesce(source_files.source_label, lists.latest_source_file) as source_label

    from lists
    left join source_files
        on lists.latest_source_file = source_files.source_file

),

counted as (

    -- (list, figure, measure, entry or change) of every row
    select list_id, 'designations_listed_russia' as figure, 1.0 as measure, list_id || ':' || entry_id as evidence_id,
           cast(null as date) as event_on, source_file
    from entries
    where target = 'RUS'

    union all

    select distinct entry_programmes.list_id, 'designations_listed_' || entry_programmes.family, 1.0,
           entry_programmes.list_id || ':' || entry_programmes.entry_id, null, entries.source_file
    from entry_programmes
    inner join entries
        on entry_programmes.list_id = entries.list_id
        and entry_programmes.entry_id = entries.entry_id

    union all

    -- additions of a list that gives listing dates: entries whose listed_on falls in the window,
    -- from its snapshots (one is enough), listed now or not
    select all_entries.list_id, 'designations_added_russia_12m', 1.0,
           all_entries.list_id || ':' || all_entries.entry_id || ':' || {{ format_date('all_entries.listed_on') }},
           all_entries.listed_on, all_entries.source_file
    from all_entries
    inner join list_windows
        on all_entries.list_id = list_windows.list_id
    where list_windows.gives_listing_dates
        and all_entries.target = 'RUS'
        and all_entries.listed_on between list_windows.window_from and list_windows.latest_as_of

    union all

    -- additions of a list without listing dates: listings between consecutive snapshots
    select changes.list_id, 'designations_added_russia_12m', 1.0,
           changes.list_id || ':' || changes.entry_id || ':' || {{ format_date('changes.as_of') }}, changes.as_of,
           changes.source_file
    from changes
    inner join list_windows
        on changes.list_id = list_windows.list_id
    where not list_windows.gives_listing_dates
        and list_windows.snapshot_count > 1
        and changes.as_of >= list_windows.window_from

),

baselines as (

    select
        list_windows.list_id,
        figures.figure,
        case
            when figures.figure = 'designations_added_russia_12m'
                and not list_windows.gives_listing_dates
                and list_windows.snapshot_count = 1 then null
            else 0.0
        end as measure,
        cast(null as {{ string_type() }}) as evidence_id,
        cast(null as date) as event_on,
        list_windows.latest_source_file as source_file

    from list_windows
    inner join (
        select list_windows.list_id, figures.figure
        from list_windows
        cross join (values ('designations_listed_russia'), ('designations_added_russia_12m')) as figures (figure)
        union all
        select list_id, figure from list_families
    ) as figures
        on list_windows.list_id = figures.list_id

),

final as (

    select
        'sanctions_on_russia' as issue,
        list_windows.imposed_by as country,
        rows_.figure,
        'entries' as unit,
        rows_.measure,
        case when rows_.figure = 'designations_added_russia_12m' then 'window_12m' else 'snapshot' end as period_kind,
        case when rows_.figure = 'designations_added_russia_12m' then list_windows.window_from
            else list_windows.latest_as_of end as period_from,
        list_windows.latest_as_of as period_to,
        false as is_partial,
        false as period_gap,
        'day' as date_precision,
        list_windows.source_label,
        rows_.source_file,
        'designations' as dataset,
        rows_.evidence_id,
        coalesce(rows_.event_on, list_windows.latest_as_of) as event_on,
        cast(null as bigint) as source_row

    from (select * from counted union all select * from baselines) as rows_
    inner join list_windows
        on rows_.list_id = list_windows.list_id

)

select * from final
