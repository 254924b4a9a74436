"""One MLflow run per training date: settings, aggregate metrics (every bake-off candidate's CV and
held-out errors and the selection) and the evaluation marts as artifacts.

The evaluation marts are small by construction (a few rows per series), so they are collected here
on the driver to be logged.
"""

from datetime import date

from casebook.forecasting.runs import RUN_COLUMNS, log_training_run
from casebook.forecasting.settings import ForecastingSettings
from casebook.settings import load
from casebook.spark import ddl

# `dbt build --empty` does not run this model (it logs to MLflow): its table gets this schema.
EMPTY_SCHEMA = ddl(RUN_COLUMNS)


def model(dbt, session):
    dbt.config(materialized="table")
    settings = load(ForecastingSettings)
    evaluation = dbt.ref("fct_forecast_evaluation").toPandas()
    cv_metrics = dbt.ref("fct_forecast_cv_metrics").toPandas()
    service_levels = dbt.ref("fct_safety_stock_service_levels").toPandas()
    skipped = dbt.ref("fct_forecasting_skipped_series").toPandas()
    bakeoff_summary = dbt.ref("fct_forecast_bakeoff_summary").toPandas()
    profile = dbt.ref("int_forecasting__series_profile").select("training_date").limit(1).collect()
    runs = log_training_run(
        training_date=profile[0][0] if profile else date.min,
        params=settings.run_params(),
        evaluation=evaluation,
        cv_metrics=cv_metrics,
        service_levels=service_levels,
        skipped=skipped,
        experiment_name=settings.mlflow_experiment,
        bakeoff_summary=bakeoff_summary,
    )
    return session.createDataFrame(runs, schema=ddl(RUN_COLUMNS))
