"""One MLflow run per bake-off: its settings, each model type's overall scores, the per-station table
(skipped stations included, with their reason; station_count counts the scored ones).

Runs on the driver from the bake-off marts (one row per station, one per model type: small by construction).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from casebook.tracking import start_run

STATIONS_FILE = "stations_bakeoff.csv"
RUN_COLUMNS = {
    "forecast_start_ts": "timestamp",
    "station_count": "bigint",
    "best_model_name": "string",
    "weather_aware_win_share": "double",
    "mlflow_experiment_id": "string",
    "mlflow_run_id": "string",
}


def run_metrics(summary: pd.DataFrame) -> dict[str, float]:
    """MLflow metrics: each model type's overall RMSE, MAPE, wins and ties; the weather-aware share of
    the stations won outright (ties and skipped stations are nobody's win)."""
    metrics: dict[str, float] = {}
    for row in summary.itertuples(index=False):
        metrics[f"rmse_{row.model_name}"] = float(row.overall_rmse)
        metrics[f"mape_pct_{row.model_name}"] = float(row.overall_mape_pct)
        metrics[f"wins_{row.model_name}"] = float(row.win_count)
        metrics[f"ties_{row.model_name}"] = float(row.tie_count)
    weather_wins = summary.loc[summary["is_weather_aware"], "win_count"].sum()
    metrics["weather_aware_win_share"] = float(weather_wins / max(summary["win_count"].sum(), 1))
    return metrics


def log_bakeoff_run(
    stations: pd.DataFrame, summary: pd.DataFrame, params: dict[str, object], experiment_name: str
) -> pd.DataFrame:
    """Log the bake-off's run; returns its one-row summary (RUN_COLUMNS)."""
    import mlflow

    metrics = run_metrics(summary)
    scored = stations[stations["is_scored"].astype(bool)] if len(stations) else stations
    best = summary.sort_values(["overall_rmse", "model_name"]).iloc[0]["model_name"] if len(summary) else None
    forecast_start = stations["forecast_start_ts"].min() if len(stations) else None
    with start_run(experiment_name, run_name=f"bakeoff-{forecast_start}") as run:
        mlflow.log_params({**params, "forecast_start_ts": str(forecast_start), "winner_metric": "rmse"})
        mlflow.log_metrics(
            {
                **metrics,
                "station_count": float(len(scored)),
                "skipped_station_count": float(len(stations) - len(scored)),
                "tie_count": float(scored["is_tie"].astype(bool).sum()) if len(scored) else 0.0,
            }
        )
        if best is not None:
            mlflow.set_tag("best_model_name", best)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / STATIONS_FILE
            stations.sort_values("station_id").to_csv(path, index=False)
            mlflow.log_artifact(str(path))
    return pd.DataFrame(
        [
            {
                "forecast_start_ts": forecast_start,
                "station_count": len(scored),
                "best_model_name": best,
                "weather_aware_win_share": metrics["weather_aware_win_share"],
                "mlflow_experiment_id": run.info.experiment_id,
                "mlflow_run_id": run.info.run_id,
            }
        ],
        columns=list(RUN_COLUMNS),
    )
