select * from {{ ref('int_aid_levels_current') }}
