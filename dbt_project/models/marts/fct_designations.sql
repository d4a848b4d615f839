with
entries as (select * from {{ ref('int_designation_entries_with_status') }}),

final as (

    select
        list_id,
        entry_id,
        imposed_by,
        name,
        entity_type,
        programmes,
        target,
        remarks,
        listed_on,
        birth_date,
        imo_number,
        first_seen,
        last_seen,
        is_listed,
        source_file

    from entries

)

select * from final
