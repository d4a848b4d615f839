with
file_registry as (select * from {{ ref('stg_file_registry') }}),
source_releases as (select * from {{ ref('stg_source_releases') }}),

files as (

    select
        coalesce(source_releases.source_file, file_registry.source_file) as source_file,
        coalesce(source_releases.dataset, file_registry.dataset) as dataset,
        coalesce(source_releases.source, 'extract') as source,
        source_releases.source_file is not null as is_release,
        source_releases.release_key,
        source_releases.as_of,
        source_releases.release,
        source_releases.origin,
        source_releases.data_from,
        source_releases.data_to,
        coalesce(source_releases.ingest_seq, file_registry.ingest_seq) as ingest_seq

    from file_registry
    full outer join source_releases
        on file_registry.source_file = source_releases.source_file

),

ranked as (

    select
        *,
        -- the latest release of a (source, release_key): the latest as_of where given (a release
        -- with an as_of outranks one without), then the latest in the ingestion order
        case when is_release then
            row_number() over (
                partition by is_release, source, release_key
                order by as_of desc nulls last, ingest_seq desc, source_file desc
            )
        end as release_rank

    from files

),

final as (

    select
        source_file,
        dataset,
        source,
        is_release,
        release_key,
        as_of,
        release,
        origin,
        data_from,
        data_to,
        ingest_seq,
        release_rank,
        -- an extract is always current
        coalesce(release_rank = 1, true) as is_current,
        -- how a figure names the file it counts: the format, its release and what it covers, or the extract
        case
            when is_release then
                source
                || coalesce(' ' || nullif(release_key, ''), '')
                || coalesce(' release ' || release, '')
                || coalesce(' as of ' || {{ format_date('as_of') }}, '')
                || coalesce(' (data ' || {{ format_date('data_from') }} || ' to '
                            || {{ format_date('data_to') }} || ')', '')
            else 'extract ' || source_file
        end as source_label

    from ranked

)

select * from final
