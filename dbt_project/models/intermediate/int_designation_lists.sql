with
snapshots as (select * from {{ ref('stg_designation_snapshots') }}),
entries as (select * from {{ ref('stg_designation_entries') }}),

summarised as (

    select
        list_id,
        -- the keeper, file and size of the list's latest snapshot
        max_by(imposed_by, as_of) as imposed_by,
        min(as_of) as first_as_of,
        max(as_of) as latest_as_of,
        count(*) as snapshot_count,
        max_by(entries, as_of) as latest_entries,
        max_by(source_file, as_of) as latest_source_file

    from snapshots
    group by list_id

),

listing_dates as (

    -- lists whose latest snapshot gives a listing date (Canada's DateOfListing, the UN's LISTED_ON)
    select distinct entries.list_id

    from entries
    inner join summarised
        on entries.list_id = summarised.list_id
        and entries.last_seen = summarised.latest_as_of
    where entries.listed_on is not null

),

final as (

    select
        summarised.*,
        listing_dates.list_id is not null as gives_listing_dates

    from summarised
    left join listing_dates
        on summarised.list_id = listing_dates.list_id

)

select * from final
