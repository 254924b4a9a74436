"""One MLflow run per training date: settings, aggregate metrics and the evaluation marts as artifacts.

The evaluation marts are small by construction (a few rows per series), so they are collected here
on the driver to be logged.
"""

from datetime import date

from casebook.forecasting.runs import RUN_COLUMNS, log_training_run


def model(dbt, session):
    dbt.config(materialized="table")
    evaluation = dbt.ref("fct_forecast_evaluation").toPandas()
    cv_metrics = dbt.ref("fct_forecast_cv_metrics").toPandas()
    service_levels = dbt.ref("fct_safety_stock_service_levels").toPandas()
    skipped = dbt.ref("fct_forecasting_skipped_series").toPandas()
    profile = dbt.ref("int_forecasting__series_profile").select("training_date").limit(1).collect()
    runs = log_training_run(
        training_date=profile[0][0] if profile else date.min,
        params={
            "horizon_days": dbt.config.meta_get("horizon_days"),
            "gap_policy": dbt.config.meta_get("gap_policy"),
            "min_training_days": dbt.config.meta_get("min_training_days"),
            "interval_width": dbt.config.meta_get("interval_width"),
            "uncertainty_samples": dbt.config.meta_get("uncertainty_samples"),
            "holiday_country": dbt.config.meta_get("holiday_country"),
            "seed": dbt.config.meta_get("seed"),
            "cv_cutoffs": dbt.config.meta_get("cv_cutoffs"),
            "cv_horizon_days": dbt.config.meta_get("cv_horizon_days"),
            "order_weekday": dbt.config.meta_get("order_weekday"),
            "lead_time_days": dbt.config.meta_get("lead_time_days"),
            "cycle_days": dbt.config.meta_get("cycle_days"),
        },
        evaluation=evaluation,
        cv_metrics=cv_metrics,
        service_levels=service_levels,
        skipped=skipped,
        experiment_name=dbt.config.meta_get("mlflow_experiment"),
    )
    schema = ", ".join(f"{name} {kind}" for name, kind in RUN_COLUMNS.items())
    return session.createDataFrame(runs, schema=schema)
