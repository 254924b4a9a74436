"""The tree learnt from the rule labels, imbalanced and undersampled, one MLflow run each (chapter 7).

Spark ML on the executors: StringIndexer, VectorAssembler and a CrossValidator over the tree's depth and
bins (vars fraud_*). Returns one row per variant (small by construction) with its run, model version,
metrics and the tree's rules.
"""

from casebook.fraud.runs import RUN_SCHEMA, log_variants
from casebook.fraud.settings import FraudSettings
from casebook.fraud.training import train_variants
from casebook.settings import load

# `dbt build --empty` does not run this model (it logs to MLflow): its table gets this schema.
EMPTY_SCHEMA = RUN_SCHEMA


def model(dbt, session):
    dbt.config(materialized="table")
    settings = load(FraudSettings)
    trained = train_variants(dbt.ref("int_fraud__labeled_transactions"), settings.training())
    runs = log_variants(trained, settings.run_params(), settings.mlflow_experiment)
    return session.createDataFrame(runs, schema=RUN_SCHEMA)
