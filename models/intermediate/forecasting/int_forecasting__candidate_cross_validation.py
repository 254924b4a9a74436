"""Rolling-origin cross-validation of the fast candidates at Prophet's cutoffs (forecasting_cv_*): each
refit sees only the days up to its cutoff, which lies before the training date."""

from casebook.forecasting.settings import ForecastingSettings
from casebook.forecasting.spark_jobs import cross_validate_candidates
from casebook.settings import load


def model(dbt, session):
    dbt.config(materialized="table")
    config = load(ForecastingSettings).forecast_config()
    return cross_validate_candidates(dbt.ref("int_forecasting__training_sales"), config)
