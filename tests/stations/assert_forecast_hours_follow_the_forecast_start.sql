-- Forecasts look ahead only: step k is the k-th hour from the forecast start, never an hour of history.
with

forecasts as (
    select * from {{ ref('int_stations__forecasts') }}
),

final as (
    select *
    from forecasts
    where
        hour_ts != forecast_start_ts + make_interval(0, 0, 0, 0, horizon_step - 1, 0, 0)
        or horizon_step > {{ var('stations_horizon_hours') }}
)

select * from final
