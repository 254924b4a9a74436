"""One MLflow run per bake-off: settings as params, each model type's overall scores as metrics, the
per-station table as an artifact. The inputs are one row per station and per model type, so they are
collected to the driver, where MLflow logs.
"""

from casebook.settings import load
from casebook.spark import ddl
from casebook.stations.runs import RUN_COLUMNS, log_bakeoff_run
from casebook.stations.settings import StationsSettings

# `dbt build --empty` does not run this model (it logs to MLflow): its table gets this schema.
EMPTY_SCHEMA = ddl(RUN_COLUMNS)


def model(dbt, session):
    dbt.config(materialized="table")
    settings = load(StationsSettings)
    run = log_bakeoff_run(
        stations=dbt.ref("fct_stations_bakeoff").toPandas(),
        summary=dbt.ref("fct_stations_model_summary").toPandas(),
        params=settings.run_params(),
        experiment_name=settings.mlflow_experiment,
    )
    return session.createDataFrame(run, schema=ddl(RUN_COLUMNS))
