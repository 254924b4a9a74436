-- Each station's score per model over the forecast horizon: RMSE, and MAPE with an actual of 0
-- counted as 1 in the denominator (the seed's rule); models ranked by RMSE within the station.
with

forecasts as (
    select * from {{ ref('int_stations__forecasts') }}
),

scores as (
    select
        station_id,
        model_name,
        is_weather_aware,
        min(forecast_start_ts) as forecast_start_ts,
        count(*) as horizon_hours,
        min(history_hours) as history_hours,
        sum(actual_trips) as actual_trips,
        sum(predicted_trips) as predicted_trips,
        sqrt(avg(power(predicted_trips - actual_trips, 2))) as rmse,
        100 * avg(
            abs(predicted_trips - actual_trips) / if(actual_trips = 0, 1, actual_trips)
        ) as mape_pct
    from forecasts
    group by station_id, model_name, is_weather_aware
),

final as (
    select
        *,
        -- lowest RMSE wins; MAPE, then the model name, break exact ties
        row_number() over (
            partition by station_id order by rmse, mape_pct, model_name
        ) as rmse_rank
    from scores
)

select * from final
