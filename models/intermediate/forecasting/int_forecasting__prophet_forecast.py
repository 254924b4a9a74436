"""One Prophet model per (store, item), fitted in parallel on Spark, and a seasonal-naive baseline.

Each series' training days (int_forecasting__training_sales) go to one pandas call on an executor;
the model's settings are the forecasting_* vars.
"""

from casebook.forecasting.settings import ForecastingSettings
from casebook.forecasting.spark_jobs import forecast_all_series
from casebook.settings import load


def model(dbt, session):
    dbt.config(materialized="table")
    config = load(ForecastingSettings).forecast_config()
    return forecast_all_series(dbt.ref("int_forecasting__training_sales"), config)
