"""The tree learnt from the rule labels, imbalanced and undersampled, one MLflow run each (chapter 7).

Spark ML on the executors: StringIndexer, VectorAssembler and a CrossValidator over the tree's depth and
bins (vars fraud_*, passed in through the model's meta in _fraud__models.yml). Returns one row per
variant (small by construction) with its run, model version, metrics and the tree's rules.
"""

from casebook.fraud.runs import RUN_SCHEMA, log_variants
from casebook.fraud.training import TrainingSettings, train_variants


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt hands a meta value to a Python model only when read with a literal key, not in a comprehension.
    max_depth_grid = dbt.config.meta_get("max_depth_grid")
    max_bins_grid = dbt.config.meta_get("max_bins_grid")
    settings = TrainingSettings(
        max_depth_grid=tuple(int(v) for v in max_depth_grid.split(",")),
        max_bins_grid=tuple(int(v) for v in max_bins_grid.split(",")),
        folds=int(dbt.config.meta_get("cv_folds")),
        parallelism=int(dbt.config.meta_get("cv_parallelism")),
        tree_seed=int(dbt.config.meta_get("tree_seed")),
        fold_seed=int(dbt.config.meta_get("fold_seed")),
        undersample_seed=int(dbt.config.meta_get("undersample_seed")),
    )
    trained = train_variants(dbt.ref("int_fraud__labeled_transactions"), settings)
    params = {
        "rule_thresholds": dbt.config.meta_get("rule_thresholds"),
        "split_seed": dbt.config.meta_get("split_seed"),
        "test_share": dbt.config.meta_get("test_share"),
        **settings.as_params(),
    }
    runs = log_variants(trained, params, dbt.config.meta_get("mlflow_experiment"))
    return session.createDataFrame(runs, schema=RUN_SCHEMA)
