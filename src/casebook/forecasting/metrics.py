"""Point-forecast error metrics: MAE, RMSE, MAPE and sMAPE of one series (generic, any frequency).

Conventions, shared with the SQL evaluation marts (which compute the same figures per series):
  * MAPE is the mean of |actual - forecast| / |actual| over the points whose actual is not zero, in
    percent (a zero actual has no percentage error); NaN when every actual is zero.
  * sMAPE is the mean of 2 |actual - forecast| / (|actual| + |forecast|), in percent, counting a
    point where both are zero as no error (0/0 = 0). It lies between 0 and 200.
Inputs are anything numpy reads as a 1-D float array of equal length; NaN when it is empty.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["error_metrics", "mae", "mape", "rmse", "smape"]


def _pair(actual: ArrayLike, forecast: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    actual = np.asarray(actual, dtype=float)
    forecast = np.asarray(forecast, dtype=float)
    if actual.shape != forecast.shape or actual.ndim != 1:
        raise ValueError(
            f"actual and forecast must be 1-D of equal length: {actual.shape} vs {forecast.shape}"
        )
    return actual, forecast


def mae(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Mean absolute error."""
    actual, forecast = _pair(actual, forecast)
    return float(np.mean(np.abs(actual - forecast))) if actual.size else float("nan")


def rmse(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Root mean squared error."""
    actual, forecast = _pair(actual, forecast)
    return float(np.sqrt(np.mean((actual - forecast) ** 2))) if actual.size else float("nan")


def mape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Mean absolute percentage error in percent, over the points with a non-zero actual."""
    actual, forecast = _pair(actual, forecast)
    nonzero = actual != 0
    if not nonzero.any():
        return float("nan")
    return float(100.0 * np.mean(np.abs(actual[nonzero] - forecast[nonzero]) / np.abs(actual[nonzero])))


def smape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Symmetric mean absolute percentage error in percent (0..200); 0/0 counts as no error."""
    actual, forecast = _pair(actual, forecast)
    if not actual.size:
        return float("nan")
    denominator = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(
        2.0 * np.abs(actual - forecast), denominator, out=np.zeros_like(actual), where=denominator != 0
    )
    return float(100.0 * np.mean(ratio))


def error_metrics(actual: ArrayLike, forecast: ArrayLike) -> dict[str, float]:
    """All four metrics at once: {"mae", "rmse", "mape", "smape"}."""
    return {
        "mae": mae(actual, forecast),
        "rmse": rmse(actual, forecast),
        "mape": mape(actual, forecast),
        "smape": smape(actual, forecast),
    }
