select * from {{ ref('int_aid_changes_with_fiscal_year') }}
