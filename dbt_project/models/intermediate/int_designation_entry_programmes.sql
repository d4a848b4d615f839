-- One row per (entry, programme) of every entry ever seen on a list, with the programme's family
-- (ref.programme_families). A family row names a programme as the list writes it (OFAC:
-- `RUSSIA-EO14024`), or a regime whose entries' programmes the list writes as
-- `<regime> (<schedule part>)` (Canada: `RUS` covers `RUS (Schedule 1, Part 1)`, `RUS (Schedule 2)`,
-- ...), so a new schedule part of a known regime keeps its family.
with
entries as (select * from {{ ref('int_designation_entries_with_status') }}),
families as (select * from {{ ref('stg_programme_families') }}),

entry_programmes as (

    select distinct
        entries.list_id,
        entries.entry_id,
        entries.is_listed,
        programmes.programme

    from entries
    {{ split_to_rows('entries.programmes', ';', 'programmes', 'programme') }}
    where entries.programmes is not null
        and programmes.programme != ''

),

final as (

    select
        entry_programmes.list_id,
        entry_programmes.entry_id,
        entry_programmes.is_listed,
        entry_programmes.programme,
        families.family

    from entry_programmes
    left join families
        on entry_programmes.list_id = families.list_id
        and (
            entry_programmes.programme = families.programme
            or {{ starts_with('entry_programmes.programme', "families.programme || ' ('") }}
        )

)

select * from final
