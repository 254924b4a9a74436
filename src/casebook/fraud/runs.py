"""Track each trained variant in MLflow, and score transactions with the tracked models.

One run per variant (imbalanced, balanced) in the experiment var fraud_mlflow_experiment: the grid,
folds, seeds and rule thresholds as params; areas under PR and ROC (train and test), the best
cross-validation metric and the test confusion counts as metrics; the confusion-matrix PNG, the
tree's rules as text and the cross-validation table as artifacts; and the fitted PipelineModel with
mlflow.spark.log_model (it works with mlflow-skinny: the Spark flavour only needs pyspark), registered
as a new version of the model `casebook-fraud-tree-<variant>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from casebook.fraud.training import KEY_COLUMN, TrainedVariant, score
from casebook.spark import ddl

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from pyspark.sql import DataFrame

EXPERIMENT_NAME = "casebook-fraud-decision-tree"
MODEL_ARTIFACT = "model"
CONFUSION_FILE = "confusion_matrix.png"
RULES_FILE = "tree_rules.txt"
CV_FILE = "cross_validation.csv"
# Columns of int_fraud__model_runs, in order, with their Spark types.
RUN_COLUMNS = {
    "model_variant": "string",
    "is_balanced": "boolean",
    "mlflow_experiment_id": "string",
    "mlflow_run_id": "string",
    "model_uri": "string",
    "registered_model_name": "string",
    "model_version": "int",
    "cv_metric_name": "string",
    "cv_best_metric": "double",
    "best_max_depth": "int",
    "best_max_bins": "int",
    "training_rows": "bigint",
    "training_positive_rows": "bigint",
    "train_area_under_pr": "double",
    "train_area_under_roc": "double",
    "test_area_under_pr": "double",
    "test_area_under_roc": "double",
    "test_true_positives": "bigint",
    "test_false_positives": "bigint",
    "test_false_negatives": "bigint",
    "test_true_negatives": "bigint",
    "tree_rules": "string",
    "training_seconds": "double",
}
RUN_SCHEMA = ddl(RUN_COLUMNS)
SCORE_SCHEMA_COLUMNS = ["model_variant", "mlflow_run_id", "model_version"]


def registered_model_name(variant: str) -> str:
    """The Model Registry name of a variant's tree: every build adds a version."""
    return f"casebook-fraud-tree-{variant}"


def confusion_figure(confusion: dict[str, int], title: str) -> Figure:
    """The 2 x 2 confusion matrix (rows: rule label, columns: prediction) on matplotlib's Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    cells = np.array(
        [
            [confusion["true_positives"], confusion["false_negatives"]],
            [confusion["false_positives"], confusion["true_negatives"]],
        ]
    )
    figure = Figure(figsize=(5, 4.5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    image = axes.imshow(cells, cmap="Blues")
    figure.colorbar(image, ax=axes)
    for (row, column), count in np.ndenumerate(cells):
        colour = "white" if count > cells.max() / 2 else "black"
        axes.text(column, row, f"{count:,}", ha="center", va="center", color=colour)
    axes.set_xticks([0, 1], labels=["fraud", "not fraud"])
    axes.set_yticks([0, 1], labels=["fraud", "not fraud"])
    axes.set_xlabel("predicted")
    axes.set_ylabel("rule label")
    axes.set_title(title)
    figure.tight_layout()
    return figure


def log_variant(
    trained: TrainedVariant, params: dict[str, object], experiment_name: str
) -> dict[str, object]:
    """Log one variant's run and model; returns its row of int_fraud__model_runs."""
    import mlflow
    import mlflow.spark

    from casebook.tracking import start_run

    balanced = trained.variant == "balanced"
    cv_best = float(trained.cv_results["mean_metric"].max())
    with start_run(
        experiment_name, run_name=f"tree-{trained.variant}", tags={"casebook.domain": "fraud"}
    ) as run:
        mlflow.log_params(
            {
                **params,
                "model_variant": trained.variant,
                "balanced": "yes" if balanced else "no",
                "cv_metric": trained.cv_metric_name,
                "best_max_depth": trained.best_max_depth,
                "best_max_bins": trained.best_max_bins,
                "training_rows": trained.training_rows,
                "training_positive_rows": trained.training_positive_rows,
            }
        )
        mlflow.log_metrics(
            {
                **trained.metrics,
                "cv_best_metric": cv_best,
                **{f"test_{name}": float(count) for name, count in trained.confusion.items()},
                "training_seconds": trained.training_seconds,
            }
        )
        title = f"Test set, {trained.variant} training"
        mlflow.log_figure(confusion_figure(trained.confusion, title), CONFUSION_FILE)
        mlflow.log_text(trained.tree_rules + "\n", RULES_FILE)
        mlflow.log_text(trained.cv_results.to_csv(index=False, lineterminator="\n"), CV_FILE)
        info = mlflow.spark.log_model(
            trained.model,
            MODEL_ARTIFACT,
            registered_model_name=registered_model_name(trained.variant),
            pip_requirements=_pip_requirements(),
        )
    return {
        "model_variant": trained.variant,
        "is_balanced": balanced,
        "mlflow_experiment_id": run.info.experiment_id,
        "mlflow_run_id": run.info.run_id,
        "model_uri": info.model_uri,
        "registered_model_name": registered_model_name(trained.variant),
        "model_version": int(info.registered_model_version),
        "cv_metric_name": trained.cv_metric_name,
        "cv_best_metric": cv_best,
        "best_max_depth": trained.best_max_depth,
        "best_max_bins": trained.best_max_bins,
        "training_rows": trained.training_rows,
        "training_positive_rows": trained.training_positive_rows,
        **{name: float(trained.metrics[name]) for name in RUN_COLUMNS if name.endswith(("_pr", "_roc"))},
        **{f"test_{name}": count for name, count in trained.confusion.items()},
        "tree_rules": trained.tree_rules,
        "training_seconds": trained.training_seconds,
    }


def log_variants(
    trained: list[TrainedVariant], params: dict[str, object], experiment_name: str = EXPERIMENT_NAME
) -> pd.DataFrame:
    """One run per variant; the rows of int_fraud__model_runs."""
    rows = [log_variant(variant, params, experiment_name) for variant in trained]
    return pd.DataFrame(rows, columns=list(RUN_COLUMNS))


# The rows of score_with_runs (int_fraud__scored_transactions), e.g. for `dbt build --empty`.
SCORED_SCHEMA = (
    "transaction_id bigint, model_variant string, mlflow_run_id string, model_version int, "
    "fraud_probability double, predicted_label int"
)


def score_with_runs(runs: pd.DataFrame, labeled: DataFrame) -> DataFrame:
    """Every labeled row scored by every run's logged model (loaded back from MLflow), one row each."""
    import mlflow.spark
    from pyspark.sql import functions as F

    from casebook.tracking import using_store

    scored = None
    for run in runs.sort_values("model_variant").itertuples(index=False):
        with using_store():
            model = mlflow.spark.load_model(run.model_uri)
        frame = score(model, labeled).select(
            KEY_COLUMN,
            F.lit(run.model_variant).alias("model_variant"),
            F.lit(run.mlflow_run_id).alias("mlflow_run_id"),
            F.lit(int(run.model_version)).alias("model_version"),
            "fraud_probability",
            "predicted_label",
        )
        scored = frame if scored is None else scored.unionByName(frame)
    if scored is None:
        raise ValueError("no model runs to score with")
    return scored


def _pip_requirements() -> list[str]:
    from importlib.metadata import version

    return [f"pyspark=={version('pyspark')}"]
