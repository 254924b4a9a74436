"""One MLflow run per training date: the settings, aggregate metrics and the evaluation tables.

Runs on the driver from the evaluation marts, which are small by construction (a few rows per series).
A rebuild for a training date that already has a run replaces it (the old run is deleted), so the
experiment holds exactly one active run per training date.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

EXPERIMENT_NAME = "casebook-forecasting"
TRAINING_DATE_TAG = "casebook.training_date"
RUN_COLUMNS = {
    "training_date": "date",
    "series_fitted": "bigint",
    "series_skipped": "bigint",
    "prophet_mean_mape": "double",
    "baseline_mean_mape": "double",
    "prophet_mean_rmse": "double",
    "baseline_mean_rmse": "double",
    "mlflow_experiment_id": "string",
    "mlflow_run_id": "string",
}


def bakeoff_metrics(summary: pd.DataFrame) -> dict[str, float]:
    """Each bake-off candidate's mean CV and held-out errors and the share of series selected for it
    (from fct_forecast_bakeoff_summary), named `bakeoff_<model>_<cv|holdout>_mean_<metric>`."""
    metrics: dict[str, float] = {}
    for row in summary.to_dict("records"):
        name = row["model_name"]
        for stage in ("cv", "holdout"):
            for metric in ("mae", "rmse", "mape", "smape"):
                value = row.get(f"mean_{stage}_{metric}")
                if value is not None:
                    metrics[f"bakeoff_{name}_{stage}_mean_{metric}"] = float(value)
        if row.get("selected_series_share") is not None:
            metrics[f"bakeoff_{name}_selected_share"] = float(row["selected_series_share"])
    return {name: value for name, value in metrics.items() if np.isfinite(value)}


def selection_summary(summary: pd.DataFrame) -> str:
    """The selection in one line: each candidate that was selected and for how many series."""
    chosen = summary[summary["selected_series_count"].fillna(0) > 0].sort_values("model_name")
    return (
        ", ".join(f"{r.model_name}:{int(r.selected_series_count)}" for r in chosen.itertuples()) or "prophet"
    )


def run_metrics(
    evaluation: pd.DataFrame, cv_metrics: pd.DataFrame, service_levels: pd.DataFrame
) -> dict[str, float]:
    """Aggregate metrics of a training date: mean error per model, CV error, share of series below target."""
    metrics: dict[str, float] = {}
    for model_name in ("prophet", "baseline"):
        for metric in ("mae", "rmse", "mape", "smape"):
            metrics[f"{model_name}_mean_{metric}"] = float(evaluation[f"{model_name}_{metric}"].mean())
    for model_name, rows in cv_metrics.groupby("model_name"):
        metrics[f"{model_name}_cv_mean_rmse"] = float(rows["rmse"].mean())
    for (method, level), rows in service_levels.groupby(["sigma_method", "target_service_level"]):
        metrics[f"below_target_share_{method}_{level * 100:g}pct"] = float(rows["is_below_target"].mean())
    return {name: value for name, value in metrics.items() if np.isfinite(value)}


def log_training_run(
    training_date: date,
    params: dict[str, object],
    evaluation: pd.DataFrame,
    cv_metrics: pd.DataFrame,
    service_levels: pd.DataFrame,
    skipped: pd.DataFrame,
    experiment_name: str = EXPERIMENT_NAME,
    bakeoff_summary: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Log the run of `training_date` (replacing an earlier one); one row describing it."""
    import mlflow

    from casebook.tracking import client, experiment, start_run

    experiment_id = experiment(experiment_name)
    tracker = client()
    earlier = tracker.search_runs(
        [experiment_id], filter_string=f"tags.`{TRAINING_DATE_TAG}` = '{training_date.isoformat()}'"
    )
    for run in earlier:
        tracker.delete_run(run.info.run_id)
    tags = {"casebook.domain": "forecasting", TRAINING_DATE_TAG: training_date.isoformat()}
    metrics = run_metrics(evaluation, cv_metrics, service_levels)
    if bakeoff_summary is not None:
        metrics.update(bakeoff_metrics(bakeoff_summary))
        tags["casebook.selection"] = selection_summary(bakeoff_summary)
    with start_run(experiment_name, run_name=f"training-{training_date.isoformat()}", tags=tags) as run:
        mlflow.log_params({"training_date": training_date.isoformat(), **params})
        mlflow.log_metrics({**metrics, "series_fitted": _series(evaluation), "series_skipped": len(skipped)})
        for name, frame in {
            "forecast_evaluation.csv": evaluation,
            "forecast_cv_metrics.csv": cv_metrics,
            "safety_stock_service_levels.csv": service_levels,
            "skipped_series.csv": skipped,
            **({"forecast_bakeoff_summary.csv": bakeoff_summary} if bakeoff_summary is not None else {}),
        }.items():
            mlflow.log_text(frame.to_csv(index=False, lineterminator="\n"), name)
    return pd.DataFrame(
        [
            {
                "training_date": training_date,
                "series_fitted": _series(evaluation),
                "series_skipped": len(skipped),
                "prophet_mean_mape": metrics.get("prophet_mean_mape"),
                "baseline_mean_mape": metrics.get("baseline_mean_mape"),
                "prophet_mean_rmse": metrics.get("prophet_mean_rmse"),
                "baseline_mean_rmse": metrics.get("baseline_mean_rmse"),
                "mlflow_experiment_id": run.info.experiment_id,
                "mlflow_run_id": run.info.run_id,
            }
        ],
        columns=list(RUN_COLUMNS),
    )


def _series(evaluation: pd.DataFrame) -> int:
    return int(evaluation[["store_id", "item_id"]].drop_duplicates().shape[0])
