select * from {{ ref('int_oil_imports_current') }}
