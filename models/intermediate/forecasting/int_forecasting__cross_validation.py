"""Rolling-origin cross-validation of every series: refits at forecasting_cv_cutoffs cutoffs before the
training date, each forecasting forecasting_cv_horizon_days ahead (Prophet and seasonal naive)."""

from casebook.forecasting.spark_jobs import config_from_meta, cross_validate_all_series


def model(dbt, session):
    dbt.config(materialized="table")
    meta = {
        "horizon_days": dbt.config.meta_get("horizon_days"),
        "interval_width": dbt.config.meta_get("interval_width"),
        "uncertainty_samples": dbt.config.meta_get("uncertainty_samples"),
        "holiday_country": dbt.config.meta_get("holiday_country"),
        "seed": dbt.config.meta_get("seed"),
        "cv_cutoffs": dbt.config.meta_get("cv_cutoffs"),
        "cv_period_days": dbt.config.meta_get("cv_period_days"),
        "cv_horizon_days": dbt.config.meta_get("cv_horizon_days"),
    }
    config = config_from_meta(meta)
    return cross_validate_all_series(dbt.ref("int_forecasting__training_sales"), config)
