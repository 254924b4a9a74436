-- Each scored station's score per model over the forecast horizon: RMSE, and MAPE with an actual of
-- 0 counted as 1 in the denominator (the seed's rule); models ranked by RMSE within the station, equal
-- RMSEs sharing a rank (a tie is a tie: no tie-break gives it to one model). Skipped stations (no trips
-- in their training or scoring window) have no scores.
with

forecasts as (
    select * from {{ ref('int_stations__forecasts') }}
    where skip_reason is null
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

ranked as (
    select
        *,
        rank() over (partition by station_id order by rmse) as rmse_rank
    from scores
),

final as (
    select
        *,
        -- the one model with the lowest RMSE; false for every model of a tied station
        rmse_rank = 1 and count_if(rmse_rank = 1) over (partition by station_id) = 1 as is_winner
    from ranked
)

select * from final
