"""An independent oracle for casebook.dtw: DTW written out as the O(n^2) textbook recursion."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def normalise(values: Sequence[float]) -> list[float]:
    """z-normalise with the population sd; a constant series becomes all zeros."""
    mean, spread = statistics.fmean(values), statistics.pstdev(values)
    return [0.0] * len(values) if spread == 0 else [(value - mean) / spread for value in values]


def reference_dtw(series: Sequence[float], pattern: Sequence[float], radius: int) -> float:
    """The documented definition: z-normalise both, fill the full (n+1) x (m+1) cost matrix with squared
    differences inside |i - j| <= radius, return the square root of the corner."""
    x, y = normalise(series), normalise(pattern)
    cost = [[math.inf] * (len(y) + 1) for _ in range(len(x) + 1)]
    cost[0][0] = 0.0
    for i in range(1, len(x) + 1):
        for j in range(1, len(y) + 1):
            if abs(i - j) <= radius:
                step = (x[i - 1] - y[j - 1]) ** 2
                cost[i][j] = step + min(cost[i - 1][j], cost[i][j - 1], cost[i - 1][j - 1])
    return math.sqrt(cost[len(x)][len(y)])
