"""One row and one MLflow run per stretch factor: median distance, outliers, histogram and a pyfunc model.

The MLflow logging happens here, on the driver: the distances table (products x 7 stretch factors) is
small by construction, so it is collected.
"""

from casebook.dtw.runs import RUN_COLUMNS, log_stretch_runs
from casebook.dtw.settings import DtwSettings
from casebook.dtw.trends import capacity_units
from casebook.settings import load
from casebook.spark import ddl

# `dbt build --empty` does not run this model (it logs to MLflow): its table gets this schema.
EMPTY_SCHEMA = ddl(RUN_COLUMNS)


def model(dbt, session):
    dbt.config(materialized="table")
    settings = load(DtwSettings)
    distances = dbt.ref("int_dtw__distances").toPandas()
    pattern = capacity_units(dbt.ref("stg_dtw__capacity_pattern").toPandas())
    runs = log_stretch_runs(
        distances,
        pattern,
        outlier_abs_zscore=settings.outlier_abs_zscore,
        experiment_name=settings.mlflow_experiment,
    )
    return session.createDataFrame(runs, schema=ddl(RUN_COLUMNS))
