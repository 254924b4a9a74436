"""One Prophet model per (store, item), fitted in parallel on Spark, and a seasonal-naive baseline.

Each series' training days (int_forecasting__training_sales) go to one pandas call on an executor;
the model's settings come from the forecasting_* vars through this model's meta (_forecasting__models.yml).
"""

from casebook.forecasting.spark_jobs import config_from_meta, forecast_all_series


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
    return forecast_all_series(dbt.ref("int_forecasting__training_sales"), config)
