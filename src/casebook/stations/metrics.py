"""Forecast accuracy as the chapter's bake-off scores it: RMSE, and MAPE with an actual of 0 counted as 1.

Hourly station demand is mostly zeros, where a plain MAPE divides by zero; the seed notebook counts
a zero actual as 1 in the denominator (the error itself still uses the true 0).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def rmse(actual: npt.ArrayLike, predicted: npt.ArrayLike) -> float:
    """Root mean squared error."""
    error = np.asarray(predicted, dtype=float) - np.asarray(actual, dtype=float)
    return float(np.sqrt(np.mean(error**2)))


def mape_pct(actual: npt.ArrayLike, predicted: npt.ArrayLike) -> float:
    """Mean absolute percentage error in percent; an actual of 0 counts as 1 in the denominator."""
    actual = np.asarray(actual, dtype=float)
    error = np.abs(np.asarray(predicted, dtype=float) - actual)
    return float(100.0 * np.mean(error / np.where(actual == 0, 1.0, actual)))
