{{ reports_ranked(ref('stg_pledges'), 'pledge_id') }}
