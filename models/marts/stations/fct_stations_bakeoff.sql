-- One row per top station: every model's RMSE and MAPE side by side and the winner (the one model
-- with the lowest RMSE), or the tie, or why the station was skipped (not scored).
with

scores as (
    select * from {{ ref('int_stations__model_scores') }}
),

forecasts as (
    select * from {{ ref('int_stations__forecasts') }}
),

top_stations as (
    select * from {{ ref('int_stations__top_stations') }}
),

skipped as (
    select
        station_id,
        forecast_start_ts,
        history_hours,
        skip_reason
    from forecasts
    where skip_reason is not null
),

side_by_side as (
    select
        station_id,
        min(forecast_start_ts) as forecast_start_ts,
        min(history_hours) as history_hours,
        max(actual_trips) as horizon_actual_trips,
        max(if(model_name = 'prophet', rmse, null)) as prophet_rmse,
        max(if(model_name = 'prophet_weather', rmse, null)) as prophet_weather_rmse,
        max(if(model_name = 'random_forest', rmse, null)) as random_forest_rmse,
        max(if(model_name = 'random_forest_weather', rmse, null)) as random_forest_weather_rmse,
        max(if(model_name = 'prophet', mape_pct, null)) as prophet_mape_pct,
        max(if(model_name = 'prophet_weather', mape_pct, null)) as prophet_weather_mape_pct,
        max(if(model_name = 'random_forest', mape_pct, null)) as random_forest_mape_pct,
        max(if(model_name = 'random_forest_weather', mape_pct, null)) as random_forest_weather_mape_pct,
        max(if(is_winner, model_name, null)) as winning_model_name,
        max(if(is_winner, is_weather_aware, null)) as is_winner_weather_aware,
        count_if(rmse_rank = 1) > 1 as is_tie,
        array_join(sort_array(collect_list(if(rmse_rank = 1, model_name, null))), ', ') as best_model_names,
        min(rmse) as winning_rmse,
        max(if(is_winner, mape_pct, null)) as winning_mape_pct
    from scores
    group by station_id
),

stations as (
    select
        station_id,
        forecast_start_ts,
        history_hours,
        horizon_actual_trips,
        prophet_rmse,
        prophet_weather_rmse,
        random_forest_rmse,
        random_forest_weather_rmse,
        prophet_mape_pct,
        prophet_weather_mape_pct,
        random_forest_mape_pct,
        random_forest_weather_mape_pct,
        winning_model_name,
        is_winner_weather_aware,
        is_tie,
        best_model_names,
        winning_rmse,
        winning_mape_pct,
        true as is_scored,
        cast(null as string) as skip_reason
    from side_by_side
    union all
    select
        station_id,
        forecast_start_ts,
        history_hours,
        cast(null as bigint) as horizon_actual_trips,
        cast(null as double) as prophet_rmse,
        cast(null as double) as prophet_weather_rmse,
        cast(null as double) as random_forest_rmse,
        cast(null as double) as random_forest_weather_rmse,
        cast(null as double) as prophet_mape_pct,
        cast(null as double) as prophet_weather_mape_pct,
        cast(null as double) as random_forest_mape_pct,
        cast(null as double) as random_forest_weather_mape_pct,
        cast(null as string) as winning_model_name,
        cast(null as boolean) as is_winner_weather_aware,
        cast(null as boolean) as is_tie,
        cast(null as string) as best_model_names,
        cast(null as double) as winning_rmse,
        cast(null as double) as winning_mape_pct,
        false as is_scored,
        skip_reason
    from skipped
),

final as (
    select
        -- keys
        stations.station_id,
        top_stations.station_name,
        top_stations.busy_rank,
        -- the bake-off
        stations.forecast_start_ts,
        stations.history_hours,
        stations.horizon_actual_trips,
        stations.is_scored,
        stations.skip_reason,
        -- scores per model
        stations.prophet_rmse,
        stations.prophet_weather_rmse,
        stations.random_forest_rmse,
        stations.random_forest_weather_rmse,
        stations.prophet_mape_pct,
        stations.prophet_weather_mape_pct,
        stations.random_forest_mape_pct,
        stations.random_forest_weather_mape_pct,
        -- the winner, or the tie
        stations.winning_model_name,
        stations.is_winner_weather_aware,
        stations.is_tie,
        stations.best_model_names,
        stations.winning_rmse,
        stations.winning_mape_pct
    from stations
    inner join top_stations on stations.station_id = top_stations.station_id
)

select * from final
