-- The rows a (country, issue) rests on: every row behind its figures (int_figure_rows), its
-- statements (positions), and pledges that show a stance (military or training aid, troops,
-- security guarantees), each counted once.

with

figure_rows as (

    select * from {{ ref('int_figure_rows') }}
    where evidence_id is not null

),

pledges as (

    select * from {{ ref('int_pledge_reports_ranked') }}
    where is_latest_report

),

positions as (select * from {{ ref('int_positions_history') }}),

figure_evidence as (

    select distinct
        country,
        issue,
        dataset,
        evidence_id,
        event_on,
        source_file,
        source_row

    from figure_rows

),

stance_pledge_evidence as (

    select
        donor as country,
        case
            when category in ('military', 'training') then 'military_aid'
            when category = 'personnel' then 'troop_deployment'
            when category = 'security_guarantee' then 'security_guarantees'
        end as issue,
        'pledges' as dataset,
        pledge_id as evidence_id,
        announced_on as event_on,
        source_file,
        source_row

    from pledges
    where category in ('military', 'training', 'personnel', 'security_guarantee')

),

position_evidence as (

    select
        country,
        issue,
        'positions' as dataset,
        position_id as evidence_id,
        stated_on as event_on,
        source_file,
        source_row

    from positions

),

final as (

    select * from figure_evidence
    union all
    select * from stance_pledge_evidence
    union all
    select * from position_evidence

)

select * from final
