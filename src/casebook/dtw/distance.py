"""Dynamic time warping (DTW) distance of a weekly sales series to a pattern, and the checks its input needs.

The definition every Casebook table, test and model uses:

* Both series are z-normalised first (mean 0, population standard deviation 1; a constant series becomes
  all zeros), as the UCR suite behind the Databricks notebook does: DTW compares the *shape* of sales, and
  the sales level is judged separately (the candidates mart's units band).
* Aligning week i of the product with week j of the pattern costs (x_i - y_j)^2. A warping path runs from
  (0, 0) to (n-1, n-1) in steps (1, 0), (0, 1) and (1, 1) and stays inside the Sakoe-Chiba band
  |i - j| <= r. The distance is the square root of the smallest total cost along such a path, so r = 0 is
  the Euclidean distance of the normalised series.
* A stretch factor s gives the band radius r = ceil(s * n) weeks: the smallest whole number of weeks that
  covers s * n. (The UCR suite rounds down, which would make s = 0 and s = 0.01 both Euclidean at n = 52;
  rounding up gives each of the seven stretch factors its own band: 0, 1, 2, 3, 6, 13, 26 weeks.)

The exact distance comes from dtaidistance's C implementation. Its `window` argument admits cells with
|i - j| < window, so the band of radius r is window = r + 1 (window = 0 would mean no band at all).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from dtaidistance import dtw

STRETCH_FACTORS: tuple[float, ...] = (0.0, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5)

# Why a product's weekly series cannot be compared, in the order they are checked (staging decides the same
# way, plus missing_product_code and duplicate_product_code, which need the whole table).
QUARANTINE_REASONS: tuple[str, ...] = (
    "missing_week",
    "non_integer_units",
    "negative_units",
    "all_zero_units",
)


def band_radius(stretch_factor: float, length: int) -> int:
    """The Sakoe-Chiba band radius in weeks for a stretch factor: ceil(stretch_factor * length)."""
    if not 0.0 <= stretch_factor <= 1.0:
        raise ValueError(f"stretch_factor must lie in [0, 1], got {stretch_factor}")
    # round() first: 0.05 * 60 is 3.0000000000000004 in binary floating point, and must give 3, not 4.
    return math.ceil(round(stretch_factor * length, 9))


def znormalize(series: Sequence[float] | np.ndarray) -> np.ndarray:
    """The series minus its mean, divided by its population standard deviation; all zeros if constant."""
    values = np.asarray(series, dtype=np.float64)
    spread = values.std()
    if math.isclose(spread, 0.0, abs_tol=1e-12):
        return np.zeros_like(values)
    return (values - values.mean()) / spread


def dtw_distance(
    series: Sequence[float] | np.ndarray, pattern: Sequence[float] | np.ndarray, radius: int
) -> float:
    """Exact DTW distance (module docstring) of two equally long series within band radius `radius`."""
    if len(series) != len(pattern):
        raise ValueError(f"series has {len(series)} weeks, the pattern {len(pattern)}: they must be equal")
    if radius < 0:
        raise ValueError(f"radius must be at least 0, got {radius}")
    normalized_series = znormalize(series)
    normalized_pattern = znormalize(pattern)
    # Pruning is exact too, but it compares against the Euclidean bound; without it, r = 0 can never
    # turn into inf through a rounding difference between the bound and the path cost.
    return float(
        dtw.distance_fast(normalized_series, normalized_pattern, window=radius + 1, use_pruning=False)
    )


def distances_to_pattern(
    series: Sequence[float] | np.ndarray,
    pattern: Sequence[float] | np.ndarray,
    stretch_factors: Sequence[float] = STRETCH_FACTORS,
) -> list[tuple[float, int, float]]:
    """(stretch_factor, band radius in weeks, DTW distance) for each stretch factor."""
    result = []
    for stretch_factor in stretch_factors:
        radius = band_radius(stretch_factor, len(pattern))
        result.append((float(stretch_factor), radius, dtw_distance(series, pattern, radius)))
    return result


def quarantine_reason(weekly_units: Sequence[float | None] | np.ndarray, weeks: int) -> str | None:
    """Why a product's weekly unit counts cannot be compared with the pattern; None when they can.

    Missing or extra weeks and empty values (None, NaN) are missing_week; fractional counts are
    non_integer_units; any count below zero is negative_units; a product that sold nothing all year has
    no shape to compare (all_zero_units).
    """
    values = np.array([np.nan if value is None else value for value in weekly_units], dtype=np.float64)
    if len(values) != weeks or np.isnan(values).any():
        return "missing_week"
    if (values != np.floor(values)).any():
        return "non_integer_units"
    if (values < 0).any():
        return "negative_units"
    if (values == 0).all():
        return "all_zero_units"
    return None
