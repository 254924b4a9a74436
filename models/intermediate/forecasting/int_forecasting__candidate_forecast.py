"""The bake-off's fast candidates over the horizon: statistical models per series (ets, theta, from
statsforecast) and pooled models per store (pooled_multiplicative, pooled_gbm), trained on the days up
to the training date only. Prophet and the seasonal naive stay in int_forecasting__prophet_forecast."""

from casebook.forecasting.settings import ForecastingSettings
from casebook.forecasting.spark_jobs import forecast_candidates
from casebook.settings import load


def model(dbt, session):
    dbt.config(materialized="table")
    config = load(ForecastingSettings).forecast_config()
    return forecast_candidates(dbt.ref("int_forecasting__training_sales"), config)
