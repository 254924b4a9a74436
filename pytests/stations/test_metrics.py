"""RMSE and the seed's MAPE (an actual of 0 counts as 1) against scikit-learn and hand-worked values."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_percentage_error, root_mean_squared_error

from casebook.stations.metrics import mape_pct, rmse


def test_rmse_equals_scikit_learns() -> None:
    rng = np.random.default_rng(3)
    actual, predicted = rng.poisson(3, 200), rng.gamma(2.0, 1.5, 200)
    assert rmse(actual, predicted) == pytest.approx(root_mean_squared_error(actual, predicted))


def test_mape_equals_scikit_learns_when_no_actual_is_zero() -> None:
    rng = np.random.default_rng(4)
    actual, predicted = rng.integers(1, 20, 200), rng.gamma(2.0, 3.0, 200)
    assert mape_pct(actual, predicted) == pytest.approx(
        100 * mean_absolute_percentage_error(actual, predicted)
    )


def test_mape_counts_a_zero_actual_as_one_in_the_denominator_only() -> None:
    # |0 - 2| / 1 = 2, |4 - 3| / 4 = 0.25, |0 - 0| / 1 = 0 -> mean 0.75 -> 75 %
    assert mape_pct([0, 4, 0], [2.0, 3.0, 0.0]) == pytest.approx(75.0)
    assert np.isfinite(mape_pct([0, 0], [0.5, 1.5]))
    assert mape_pct([0, 0], [0.5, 1.5]) == pytest.approx(100.0)
