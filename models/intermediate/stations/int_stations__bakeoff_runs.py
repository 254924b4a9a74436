"""One MLflow run per bake-off: settings as params, each model type's overall scores as metrics, the
per-station table as an artifact. The inputs are one row per station and per model type, so they are
collected to the driver, where MLflow logs.
"""

from casebook.stations.runs import RUN_COLUMNS, log_bakeoff_run, spark_schema


def model(dbt, session):
    dbt.config(materialized="table")
    run = log_bakeoff_run(
        stations=dbt.ref("fct_stations_bakeoff").toPandas(),
        summary=dbt.ref("fct_stations_model_summary").toPandas(),
        params={
            "history_days": dbt.config.meta_get("history_days"),
            "horizon_hours": dbt.config.meta_get("horizon_hours"),
            "top_n": dbt.config.meta_get("top_n"),
            "seed": dbt.config.meta_get("seed"),
            "trees": dbt.config.meta_get("trees"),
            "holiday_country": dbt.config.meta_get("holiday_country"),
        },
        experiment_name=dbt.config.meta_get("mlflow_experiment"),
    )
    return session.createDataFrame(run, schema=spark_schema(RUN_COLUMNS))
