-- Chapter 5 (hourly station demand): each model's overall RMSE and MAPE over the top stations and
-- how many stations it wins.
with

model_summary as (
    select * from {{ ref('fct_stations_model_summary') }}
),

final as (
    select
        model_name,
        is_weather_aware,
        station_count,
        overall_rmse,
        overall_mape_pct,
        win_count,
        win_share
    from model_summary
)

select * from final
order by overall_rmse
