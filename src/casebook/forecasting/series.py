"""Per-series work of the forecasting models: a Prophet fit, a seasonal-naive baseline, rolling-origin CV.

Each function takes the training rows of one (store, item) series as a pandas frame (columns
store_id, item_id, training_date, sales_date, sales_qty; one row per day up to the training date, no
gaps) and returns rows of a fixed schema. They are what the Spark models run per group with
applyInPandas, and what the tests call directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import norm

from casebook.forecasting.prophet_fit import ProphetSettings, fit_prophet, future_dates, predict, series_seed

__all__ = [
    "CV_COLUMNS",
    "FORECAST_COLUMNS",
    "ForecastConfig",
    "cross_validate_series",
    "cv_cutoffs",
    "forecast_series",
    "interval_sigma",
    "seasonal_naive",
]

KEYS = ["store_id", "item_id"]
PROPHET = "prophet"
SEASONAL_NAIVE = "seasonal_naive"
SEASON_DAYS = 7
# Output columns and Spark types of int_forecasting__prophet_forecast and int_forecasting__cross_validation.
FORECAST_COLUMNS = {
    "store_id": "bigint",
    "item_id": "bigint",
    "training_date": "date",
    "model_name": "string",
    "sales_date": "date",
    "is_forecast": "boolean",
    "yhat": "double",
    "yhat_lower": "double",
    "yhat_upper": "double",
    "yhat_sigma": "double",
    "model_seed": "bigint",
}
CV_COLUMNS = {
    "store_id": "bigint",
    "item_id": "bigint",
    "training_date": "date",
    "model_name": "string",
    "cutoff_date": "date",
    "sales_date": "date",
    "horizon_days": "int",
    "sales_qty": "double",
    "yhat": "double",
}
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ForecastConfig:
    """Everything a series' fit depends on besides its data (built from the dbt vars forecasting_* by
    ForecastingSettings)."""

    prophet: ProphetSettings
    horizon_days: int
    seed: int
    cv_cutoffs: int
    cv_period_days: int
    cv_horizon_days: int

    def __post_init__(self) -> None:
        for name in ("horizon_days", "cv_period_days", "cv_horizon_days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.cv_cutoffs < 0:
            raise ValueError(f"cv_cutoffs must not be negative, got {self.cv_cutoffs}")


def seasonal_naive(
    history: np.ndarray, horizon: int, interval_width: float, season: int = SEASON_DAYS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Repeat the last `season` values over `horizon` steps, with a normal prediction interval.

    The interval is Hyndman & Athanasopoulos' (FPP3, 5.5): sigma of the one-season differences of
    the history, widened by sqrt(k) at k seasons ahead. Returns (yhat, yhat_lower, yhat_upper).
    """
    history = np.asarray(history, dtype=float)
    if history.size < season:
        raise ValueError(f"seasonal naive needs at least one season ({season} values), got {history.size}")
    steps = np.arange(horizon)
    yhat = history[-season:][steps % season]
    residuals = history[season:] - history[:-season]
    sigma = float(np.sqrt(np.mean(residuals**2))) if residuals.size else 0.0
    half_width = norm.ppf(0.5 + interval_width / 2) * sigma * np.sqrt(steps // season + 1)
    return yhat, yhat - half_width, yhat + half_width


def interval_sigma(lower: ArrayLike, upper: ArrayLike, interval_width: float) -> np.ndarray:
    """The standard deviation a central normal interval of this width implies: (upper - lower) / (2 z)."""
    z = norm.ppf(0.5 + interval_width / 2)
    return (np.asarray(upper, dtype=float) - np.asarray(lower, dtype=float)) / (2 * z)


def _no_rows(columns: dict[str, str]) -> pd.DataFrame:
    """An empty result: object columns, which Arrow casts to any Spark type (float ones fail for dates)."""
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})


def _history(series: pd.DataFrame) -> pd.DataFrame:
    ordered = series.sort_values("sales_date")
    return pd.DataFrame(
        {"ds": pd.to_datetime(ordered["sales_date"]), "y": ordered["sales_qty"].astype(float)}
    )


def _keys(series: pd.DataFrame) -> tuple[int, int, date]:
    first = series.iloc[0]
    return int(first["store_id"]), int(first["item_id"]), pd.Timestamp(first["training_date"]).date()


def forecast_series(series: pd.DataFrame, config: ForecastConfig) -> pd.DataFrame:
    """Prophet's fit over the history and forecast over the horizon, plus the seasonal-naive forecast.

    A series whose fit fails returns no rows (logged): one bad series never stops the others, and
    the marts list it as skipped (fit_failed).
    """
    store_id, item_id, training_date = _keys(series)
    history = _history(series)
    seed = series_seed(config.seed, store_id, item_id)
    try:
        model = fit_prophet(history, config.prophet, seed)
        # Intervals over the horizon only: sampling them over years of history would cost ten times more.
        fitted = predict(model, history[["ds"]], seed, intervals=False)
        ahead = predict(model, future_dates(history, config.horizon_days), seed)
    except Exception:
        _log.exception("Prophet fit failed for store %s item %s", store_id, item_id)
        return _no_rows(FORECAST_COLUMNS)
    naive = seasonal_naive(history["y"].to_numpy(), config.horizon_days, config.prophet.interval_width)
    baseline = pd.DataFrame(dict(zip(["yhat", "yhat_lower", "yhat_upper"], naive, strict=True)))
    baseline["ds"] = ahead["ds"].to_numpy()
    baseline["model_name"] = SEASONAL_NAIVE
    prophet = pd.concat([fitted, ahead], ignore_index=True).assign(model_name=PROPHET)
    rows = pd.concat([prophet, baseline], ignore_index=True)
    return pd.DataFrame(
        {
            "store_id": store_id,
            "item_id": item_id,
            "training_date": training_date,
            "model_name": rows["model_name"],
            "sales_date": rows["ds"].dt.date,
            "is_forecast": (rows["ds"].dt.date > training_date).to_numpy(),
            "yhat": rows["yhat"].astype(float),
            "yhat_lower": rows["yhat_lower"].astype(float),
            "yhat_upper": rows["yhat_upper"].astype(float),
            "yhat_sigma": interval_sigma(
                rows["yhat_lower"], rows["yhat_upper"], config.prophet.interval_width
            ),
            "model_seed": seed,
        },
        columns=list(FORECAST_COLUMNS),
    )


def cv_cutoffs(training_date: date, count: int, period_days: int, horizon_days: int) -> list[date]:
    """Rolling-origin cutoffs, earliest first: the last one leaves `horizon_days` before the training date."""
    last = training_date - timedelta(days=horizon_days)
    return [last - timedelta(days=period_days * back) for back in range(count - 1, -1, -1)]


def cross_validate_series(series: pd.DataFrame, config: ForecastConfig) -> pd.DataFrame:
    """For each cutoff: refit on the days up to it, forecast cv_horizon_days ahead, next to the actuals.

    Only point forecasts are needed, so the refits draw no uncertainty samples. Cutoffs that leave
    less than a year of history, or a failing fit, are left out (logged).
    """
    store_id, item_id, training_date = _keys(series)
    history = _history(series)
    settings = replace(config.prophet, uncertainty_samples=0)
    seed = series_seed(config.seed, store_id, item_id)
    frames = []
    for cutoff in cv_cutoffs(training_date, config.cv_cutoffs, config.cv_period_days, config.cv_horizon_days):
        before = history[history["ds"] <= pd.Timestamp(cutoff)]
        after = history[history["ds"] > pd.Timestamp(cutoff)].iloc[: config.cv_horizon_days]
        if len(before) < 365 or after.empty:
            continue
        try:
            model = fit_prophet(before, settings, seed)
            yhat = predict(model, after[["ds"]], seed, intervals=False)["yhat"].to_numpy()
        except Exception:
            _log.exception("Prophet CV fit failed for store %s item %s cutoff %s", store_id, item_id, cutoff)
            continue
        naive = seasonal_naive(before["y"].to_numpy(), len(after), config.prophet.interval_width)[0]
        horizon = (after["ds"] - pd.Timestamp(cutoff)).dt.days.to_numpy()
        for name, values in ((PROPHET, yhat), (SEASONAL_NAIVE, naive)):
            frames.append(
                pd.DataFrame(
                    {
                        "store_id": store_id,
                        "item_id": item_id,
                        "training_date": training_date,
                        "model_name": name,
                        "cutoff_date": cutoff,
                        "sales_date": after["ds"].dt.date.to_numpy(),
                        "horizon_days": horizon.astype(np.int32),
                        "sales_qty": after["y"].to_numpy(),
                        "yhat": np.asarray(values, dtype=float),
                    }
                )
            )
    if not frames:
        return _no_rows(CV_COLUMNS)
    return pd.concat(frames, ignore_index=True)[list(CV_COLUMNS)]
