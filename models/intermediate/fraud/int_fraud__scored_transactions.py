"""Every usable transaction scored by each tracked tree, one row per (transaction, model variant).

The models are loaded back from MLflow (the runs of int_fraud__model_runs, two rows) and applied with
Spark ML's transform: the transactions never leave the executors.
"""

from casebook.fraud.runs import SCORED_SCHEMA, score_with_runs

# `dbt build --empty` does not run this model (it loads the trees from MLflow): its table gets this schema.
EMPTY_SCHEMA = SCORED_SCHEMA


def model(dbt, session):
    dbt.config(materialized="table")
    runs = dbt.ref("int_fraud__model_runs").toPandas()
    return score_with_runs(runs, dbt.ref("int_fraud__labeled_transactions"))
