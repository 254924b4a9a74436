-- One row per training date: its MLflow run and headline accuracy (incremental: earlier dates stay).
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['training_date'],
    on_schema_change='fail',
) }}

with

runs as (
    select * from {{ ref('int_forecasting__training_runs') }}
),

final as (
    select
        training_date,
        series_fitted,
        series_skipped,
        prophet_mean_mape,
        baseline_mean_mape,
        prophet_mean_rmse,
        baseline_mean_rmse,
        mlflow_experiment_id,
        mlflow_run_id
    from runs
)

select * from final
