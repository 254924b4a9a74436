-- One row per model type: its scores over every scored station-hour of the bake-off, how often it
-- won outright and how often it tied (skipped stations count nowhere; a tie is nobody's win).
with

forecasts as (
    select * from {{ ref('int_stations__forecasts') }}
    where skip_reason is null
),

scores as (
    select * from {{ ref('int_stations__model_scores') }}
),

pooled as (
    select
        model_name,
        is_weather_aware,
        count(*) as forecast_hours,
        sqrt(avg(power(predicted_trips - actual_trips, 2))) as overall_rmse,
        100 * avg(
            abs(predicted_trips - actual_trips) / if(actual_trips = 0, 1, actual_trips)
        ) as overall_mape_pct
    from forecasts
    group by model_name, is_weather_aware
),

per_station as (
    select
        model_name,
        count(*) as station_count,
        avg(rmse) as mean_station_rmse,
        avg(mape_pct) as mean_station_mape_pct,
        count_if(is_winner) as win_count,
        count_if(rmse_rank = 1 and not is_winner) as tie_count
    from scores
    group by model_name
),

final as (
    select
        pooled.model_name,
        pooled.is_weather_aware,
        per_station.station_count,
        pooled.forecast_hours,
        pooled.overall_rmse,
        pooled.overall_mape_pct,
        per_station.mean_station_rmse,
        per_station.mean_station_mape_pct,
        per_station.win_count,
        per_station.tie_count,
        per_station.win_count / per_station.station_count as win_share
    from pooled
    inner join per_station on pooled.model_name = per_station.model_name
)

select * from final
