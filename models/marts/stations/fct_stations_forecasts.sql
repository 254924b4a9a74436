-- Every model's hourly forecast of every scored top station over the horizon, beside the actual trips.
with

forecasts as (
    select * from {{ ref('int_stations__forecasts') }}
    -- skipped stations have a reason and no forecast (see fct_stations_bakeoff)
    where skip_reason is null
),

final as (
    select
        -- keys
        station_id,
        model_name,
        hour_ts,
        -- the bake-off
        is_weather_aware,
        forecast_start_ts,
        horizon_step,
        history_hours,
        -- measures
        actual_trips,
        predicted_trips,
        predicted_lower_trips,
        predicted_upper_trips,
        predicted_trips - actual_trips as error_trips
    from forecasts
)

select * from final
