-- One row per top station: every model's RMSE and MAPE side by side, and the winner (lowest RMSE).
with

scores as (
    select * from {{ ref('int_stations__model_scores') }}
),

top_stations as (
    select * from {{ ref('int_stations__top_stations') }}
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
        max_by(model_name, -rmse_rank) as winning_model_name,
        max_by(is_weather_aware, -rmse_rank) as is_winner_weather_aware,
        min(rmse) as winning_rmse,
        max_by(mape_pct, -rmse_rank) as winning_mape_pct
    from scores
    group by station_id
),

final as (
    select
        -- keys
        side_by_side.station_id,
        top_stations.station_name,
        top_stations.busy_rank,
        -- the bake-off
        side_by_side.forecast_start_ts,
        side_by_side.history_hours,
        side_by_side.horizon_actual_trips,
        -- scores per model
        side_by_side.prophet_rmse,
        side_by_side.prophet_weather_rmse,
        side_by_side.random_forest_rmse,
        side_by_side.random_forest_weather_rmse,
        side_by_side.prophet_mape_pct,
        side_by_side.prophet_weather_mape_pct,
        side_by_side.random_forest_mape_pct,
        side_by_side.random_forest_weather_mape_pct,
        -- the winner
        side_by_side.winning_model_name,
        side_by_side.is_winner_weather_aware,
        side_by_side.winning_rmse,
        side_by_side.winning_mape_pct
    from side_by_side
    inner join top_stations on side_by_side.station_id = top_stations.station_id
)

select * from final
