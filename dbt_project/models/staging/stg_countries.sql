-- typed by the loader (ingestion/warehouse_schema.py); the code is called iso3 from here on
select
    code as iso3,
    {{ star_except(['code']) }}
from {{ source('ref', 'countries') }}
