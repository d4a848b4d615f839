-- The rows behind each sanctions-measure figure of sanctions_on_russia: every latest report of a
-- measure on Russia counts in each status figure (1 if it has that status, 0 if not, null where its
-- source does not record that status: GSDB lists measures in force or lifted, never threats or
-- proposals), and in the in-force figure of its type (1 if in force, 0 if not: a lifted travel ban is a
-- measured 0 travel bans in force, a type no report names has no figure).
with

sanctions as (

    select * from {{ ref('int_sanction_reports_ranked') }}
    where is_latest_report
        and target = 'RUS'

),

statuses as (

    select * from (values ('threatened'), ('proposed'), ('adopted'), ('in_force'), ('lifted')) as statuses (status_figure)

),

status_rows as (

    select
        sanctions.imposed_by as country,
        'measures_' || statuses.status_figure as figure,
        'measures' as unit,
        case
            when sanctions.source = 'gsdb' and statuses.status_figure in ('threatened', 'proposed') then null
            -- adopted: decided, whether in force yet or not
            when statuses.status_figure = 'adopted' then
                case when sanctions.status in ('adopted', 'in_force') then 1.0 else 0.0 end
            when sanctions.status = statuses.status_figure then 1.0
            else 0.0
        end as measure,
        'status' as period_kind,
        sanctions.announced_on as period_from,
        -- a status holds as of the report (an extract) or the release's last day (GSDB: its last year)
        greatest({{ period_end('sanctions.announced_on', 'sanctions.date_precision') }},
                 coalesce(sanctions.source_as_of, sanctions.announced_on)) as period_to,
        false as is_partial,
        false as period_gap,
        sanctions.date_precision,
        sanctions.source_label,
        sanctions.source_file,
        'sanctions' as dataset,
        sanctions.measure_id as evidence_id,
        sanctions.announced_on as event_on,
        sanctions.source_row

    from sanctions
    cross join statuses

),

type_rows as (

    select
        country,
        'measures_in_force_' || measure_type as figure,
        unit,
        measure,
        period_kind,
        period_from,
        period_to,
        is_partial,
        false as period_gap,
        date_precision,
        source_label,
        source_file,
        dataset,
        evidence_id,
        event_on,
        source_row

    from status_rows
    inner join (select measure_id, measure_type from sanctions) as measures
        on status_rows.evidence_id = measures.measure_id
    where status_rows.figure = 'measures_in_force'

),

final as (

    select 'sanctions_on_russia' as issue, * from status_rows
    union all
    select 'sanctions_on_russia' as issue, * from type_rows

)

select * from final
