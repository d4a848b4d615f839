{{ config(meta={'dagster': {'ref': {'name': 'fct_pledge_reports'}}}) }}
-- No fact holds a row of a superseded publisher release (SOURCES.md, "Releases supersede"):
-- the rows of earlier releases stay in raw as history, and are never counted twice.
with
source_files as (select * from {{ ref('int_source_files') }}),

fact_files as (

    select distinct 'fct_pledge_reports' as fact, source_file from {{ ref('fct_pledge_reports') }}
    union all
    select distinct 'fct_pledge_commitments', source_file from {{ ref('fct_pledge_commitments') }}
    union all
    select distinct 'fct_oil_imports', source_file from {{ ref('fct_oil_imports') }}
    union all
    select distinct 'fct_aid_changes', source_file from {{ ref('fct_aid_changes') }}
    union all
    select distinct 'fct_aid_levels', source_file from {{ ref('fct_aid_levels') }}
    union all
    select distinct 'fct_positions', source_file from {{ ref('fct_positions') }}
    union all
    select distinct 'fct_sanction_reports', source_file from {{ ref('fct_sanction_reports') }}

),

final as (

    select
        fact_files.fact,
        fact_files.source_file

    from fact_files
    inner join source_files
        on fact_files.source_file = source_files.source_file
    where not source_files.is_current

)

select * from final
