"""Independent oracles for the speech clips' distances, written from the definitions in casebook.dtw.clips."""

from __future__ import annotations

import math

import numpy as np


def oracle_normalise(values: np.ndarray) -> np.ndarray:
    spread = float(np.std(values))
    return np.zeros(len(values)) if spread == 0 else (values - np.mean(values)) / spread


def oracle_dtw(series: np.ndarray, reference: np.ndarray, radius: int | None) -> float:
    """From the definition: frame i of the series (n frames) meets frame j of the reference (m frames)
    when -r - max(0, n - m) <= j - i <= r + max(0, m - n); cost (x_i - y_j)^2 summed along the cheapest
    path of steps (1, 0), (0, 1), (1, 1) from (0, 0) to (n-1, m-1); the square root of that sum.
    radius None: no band."""
    x, y = oracle_normalise(np.asarray(series, float)), oracle_normalise(np.asarray(reference, float))
    n, m = len(x), len(y)
    total = np.full((n + 1, m + 1), np.inf)
    total[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            shift = j - i
            if radius is None or -radius - max(0, n - m) <= shift <= radius + max(0, m - n):
                best = min(total[i - 1, j], total[i, j - 1], total[i - 1, j - 1])
                total[i, j] = (x[i - 1] - y[j - 1]) ** 2 + best
    return math.sqrt(total[n, m])


def oracle_euclidean(series: np.ndarray, reference: np.ndarray) -> float:
    """Linear interpolation written out: position k of m lies at k (n - 1) / (m - 1) of the series."""
    n, m = len(series), len(reference)
    resampled = []
    for k in range(m):
        position = k * (n - 1) / (m - 1)
        low = min(math.floor(position), n - 2)
        weight = position - low
        resampled.append(series[low] * (1 - weight) + series[low + 1] * weight)
    difference = oracle_normalise(np.array(resampled)) - oracle_normalise(np.asarray(reference, float))
    return math.sqrt(float(np.sum(difference**2)))
