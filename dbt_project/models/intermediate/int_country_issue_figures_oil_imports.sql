with

russian_oil_12m as (

    select * from {{ ref('int_oil_imports_russian_12m') }}

),

figures as (

    select importer as country, 'tonnes_12m_direct' as figure, tonnes_12m_direct as value, 'tonnes' as unit, window_from, window_to
    from russian_oil_12m
    union all
    select importer, 'tonnes_12m_via_third_country', tonnes_12m_via_third_country, 'tonnes', window_from, window_to
    from russian_oil_12m
    union all
    select importer, 'tonnes_12m_unspecified', tonnes_12m_unspecified, 'tonnes', window_from, window_to
    from russian_oil_12m
    union all
    select importer, 'value_eur_12m_direct', value_eur_12m_direct, 'EUR', window_from, window_to
    from russian_oil_12m
    union all
    select importer, 'value_eur_12m_via_third_country', value_eur_12m_via_third_country, 'EUR', window_from, window_to
    from russian_oil_12m
    union all
    select importer, 'value_eur_12m_unspecified', value_eur_12m_unspecified, 'EUR', window_from, window_to
    from russian_oil_12m

),

final as (

    select
        country,
        'russian_oil_purchases' as issue,
        figure,
        cast(value as double) as value,
        unit,
        window_from as period_from,
        window_to as period_to

    from figures

)

select * from final
