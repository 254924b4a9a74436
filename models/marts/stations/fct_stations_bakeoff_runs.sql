-- The MLflow run of each bake-off build (the latest build's run).
with

runs as (
    select * from {{ ref('int_stations__bakeoff_runs') }}
),

final as (
    select
        mlflow_run_id,
        mlflow_experiment_id,
        forecast_start_ts,
        station_count,
        best_model_name,
        weather_aware_win_share
    from runs
)

select * from final
