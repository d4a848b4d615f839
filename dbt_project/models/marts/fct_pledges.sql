select * from {{ ref('int_pledges_counted') }}
