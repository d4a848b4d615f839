select * from {{ ref('int_pledge_commitments_cumulative') }}
