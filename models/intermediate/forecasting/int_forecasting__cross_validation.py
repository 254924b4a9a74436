"""Rolling-origin cross-validation of every series: refits at forecasting_cv_cutoffs cutoffs before the
training date, each forecasting forecasting_cv_horizon_days ahead (Prophet and seasonal naive)."""

from casebook.forecasting.settings import ForecastingSettings
from casebook.forecasting.spark_jobs import cross_validate_all_series
from casebook.settings import load


def model(dbt, session):
    dbt.config(materialized="table")
    config = load(ForecastingSettings).forecast_config()
    return cross_validate_all_series(dbt.ref("int_forecasting__training_sales"), config)
