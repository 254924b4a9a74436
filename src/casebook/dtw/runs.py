"""One MLflow run per stretch factor: its parameters, distance statistics, outliers, histogram and model.

Runs on the driver from the distances table (products x stretch factors: small by construction).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from casebook.dtw.pyfunc import MODEL_NAME, log_dtw_model

if TYPE_CHECKING:
    from matplotlib.figure import Figure

EXPERIMENT_NAME = "casebook-dtw-sales-trends"
HISTOGRAM_FILE = "dtw_distance_histogram.png"
SUMMARY_COLUMNS = {
    "stretch_factor": "double",
    "window_weeks": "int",
    "product_count": "bigint",
    "median_dtw_distance": "double",
    "mean_dtw_distance": "double",
    "stddev_dtw_distance": "double",
    "outlier_count": "bigint",
}
RUN_COLUMNS = {
    **SUMMARY_COLUMNS,
    "mlflow_experiment_id": "string",
    "mlflow_run_id": "string",
    "model_uri": "string",
}


def outliers_file(stretch_factor: float) -> str:
    """The artifact name of one run's outlier list."""
    return f"dtw_outliers_stretch_{stretch_factor:g}.csv"


def stretch_summary(distances: pd.DataFrame) -> pd.DataFrame:
    """One row per stretch factor: band width, product count, median/mean/sd distance, outlier count."""
    grouped = distances.groupby("stretch_factor", sort=True)
    summary = grouped.agg(
        window_weeks=("window_weeks", "first"),
        product_count=("product_code", "size"),
        median_dtw_distance=("dtw_distance", "median"),
        mean_dtw_distance=("dtw_distance", "mean"),
        stddev_dtw_distance=("dtw_distance", lambda values: float(np.std(values))),
        outlier_count=("is_outlier", "sum"),
    ).reset_index()
    return summary.astype({"window_weeks": "int32", "product_count": "int64", "outlier_count": "int64"})


def histogram_figure(distances: pd.Series, stretch_factor: float) -> Figure:
    """A histogram of one stretch factor's distances, drawn on matplotlib's Agg canvas (no display)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.hist(distances.to_numpy(), bins=20, rwidth=0.9, color="#607c8e")
    axes.axvline(float(distances.median()), color="#b03a2e", linestyle="--", label="median")
    axes.set_title(f"DTW distance to the capacity pattern, stretch factor {stretch_factor:g}")
    axes.set_xlabel("DTW distance (z-normalised units)")
    axes.set_ylabel("products")
    axes.legend()
    return figure


def log_stretch_run(
    distances: pd.DataFrame,
    summary: pd.Series,
    pattern: np.ndarray,
    outlier_abs_zscore: float,
    experiment_name: str,
) -> dict[str, str]:
    """Log one stretch factor's run; returns its experiment id, run id and model URI."""
    import mlflow

    from casebook.tracking import start_run

    stretch_factor = float(summary["stretch_factor"])
    with start_run(
        experiment_name, run_name=f"stretch-{stretch_factor:g}", tags={"casebook.domain": "dtw"}
    ) as run:
        mlflow.log_params(
            {
                "stretch_factor": stretch_factor,
                "window_weeks": int(summary["window_weeks"]),
                "pattern_weeks": len(pattern),
                "outlier_abs_zscore": outlier_abs_zscore,
            }
        )
        mlflow.log_metrics(
            {
                "median_dtw_distance": float(summary["median_dtw_distance"]),
                "mean_dtw_distance": float(summary["mean_dtw_distance"]),
                "stddev_dtw_distance": float(summary["stddev_dtw_distance"]),
                "outlier_count": int(summary["outlier_count"]),
                "product_count": int(summary["product_count"]),
            }
        )
        outliers = distances[distances["is_outlier"]].sort_values("distance_zscore")
        mlflow.log_text(outliers.to_csv(index=False, lineterminator="\n"), outliers_file(stretch_factor))
        mlflow.log_figure(histogram_figure(distances["dtw_distance"], stretch_factor), HISTOGRAM_FILE)
        log_dtw_model(pattern, stretch_factor)
    return {
        "mlflow_experiment_id": run.info.experiment_id,
        "mlflow_run_id": run.info.run_id,
        "model_uri": f"runs:/{run.info.run_id}/{MODEL_NAME}",
    }


def log_stretch_runs(
    distances: pd.DataFrame,
    pattern: np.ndarray,
    outlier_abs_zscore: float,
    experiment_name: str = EXPERIMENT_NAME,
) -> pd.DataFrame:
    """Log one run per stretch factor of `distances` (columns of casebook.dtw.trends.SCORED_COLUMNS).

    Returns stretch_summary() with each run's experiment id, run id and model URI.
    """
    summary = stretch_summary(distances)
    runs = [
        log_stretch_run(
            distances[distances["stretch_factor"] == row["stretch_factor"]],
            row,
            pattern,
            outlier_abs_zscore,
            experiment_name,
        )
        for _, row in summary.iterrows()
    ]
    return pd.concat([summary, pd.DataFrame(runs)], axis=1)[list(RUN_COLUMNS)]
