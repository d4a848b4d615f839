{{ reports_ranked(ref('stg_sanctions'), 'measure_id') }}
