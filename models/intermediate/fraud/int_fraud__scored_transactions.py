"""Every usable transaction scored by each tracked tree, one row per (transaction, model variant).

The models are loaded back from MLflow (the runs of int_fraud__model_runs, two rows) and applied with
Spark ML's transform: the transactions never leave the executors.
"""

from casebook.fraud.runs import score_with_runs


def model(dbt, session):
    dbt.config(materialized="table")
    runs = dbt.ref("int_fraud__model_runs").toPandas()
    return score_with_runs(runs, dbt.ref("int_fraud__labeled_transactions"))
