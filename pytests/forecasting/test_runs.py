"""The MLflow metrics of the bake-off, from a hand-made summary mart."""

from __future__ import annotations

import math

import pandas as pd

from casebook.forecasting.runs import bakeoff_metrics, selection_summary


def _summary() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "model_name": "prophet",
                "mean_cv_smape": 14.0,
                "mean_holdout_smape": 13.2,
                "mean_cv_mae": 6.0,
                "selected_series_count": 0,
                "selected_series_share": 0.0,
            },
            {
                "model_name": "pooled_multiplicative",
                "mean_cv_smape": 12.0,
                "mean_holdout_smape": 12.1,
                "mean_cv_mae": 5.0,
                "selected_series_count": 3,
                "selected_series_share": 0.75,
            },
            {
                "model_name": "ets",
                "mean_cv_smape": 20.0,
                "mean_holdout_smape": math.nan,
                "mean_cv_mae": 9.0,
                "selected_series_count": 1,
                "selected_series_share": 0.25,
            },
            {
                "model_name": "selected",
                "mean_cv_smape": 12.0,
                "mean_holdout_smape": 12.1,
                "mean_cv_mae": 5.0,
                "selected_series_count": None,
                "selected_series_share": None,
            },
        ]
    )


def test_bakeoff_metrics_name_each_candidates_errors_and_drop_missing_ones() -> None:
    metrics = bakeoff_metrics(_summary())
    assert metrics["bakeoff_pooled_multiplicative_cv_mean_smape"] == 12.0
    assert metrics["bakeoff_selected_holdout_mean_smape"] == 12.1
    assert metrics["bakeoff_prophet_cv_mean_mae"] == 6.0
    assert metrics["bakeoff_pooled_multiplicative_selected_share"] == 0.75
    assert "bakeoff_ets_holdout_mean_smape" not in metrics  # NaN is not logged
    assert "bakeoff_selected_selected_share" not in metrics
    assert "bakeoff_prophet_holdout_mean_rmse" not in metrics  # not in the frame


def test_the_selection_summary_lists_the_selected_candidates_by_name() -> None:
    assert selection_summary(_summary()) == "ets:1, pooled_multiplicative:3"
    assert selection_summary(_summary().assign(selected_series_count=0)) == "prophet"
