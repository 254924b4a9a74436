-- One MLflow run per stretch factor, logged by a Python model and published with a contract.
with

stretch_runs as (
    select * from {{ ref('int_dtw__stretch_runs') }}
),

final as (
    select
        stretch_factor,
        window_weeks,
        -- distances over the products
        product_count,
        median_dtw_distance,
        mean_dtw_distance,
        stddev_dtw_distance,
        outlier_count,
        -- where the run lives
        mlflow_experiment_id,
        mlflow_run_id,
        model_uri
    from stretch_runs
)

select * from final
