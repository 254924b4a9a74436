"""casebook.forecasting.metrics against scikit-learn and a hand-computed sMAPE."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, mean_absolute_percentage_error, mean_squared_error

from casebook.forecasting.metrics import error_metrics, mae, mape, rmse, smape


@pytest.fixture
def pair() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    actual = rng.poisson(20, 200).astype(float)
    forecast = actual + rng.normal(0, 4, 200)
    return actual, forecast


def test_mae_and_rmse_match_scikit_learn(pair) -> None:
    actual, forecast = pair
    assert mae(actual, forecast) == pytest.approx(mean_absolute_error(actual, forecast), rel=1e-12)
    assert rmse(actual, forecast) == pytest.approx(math.sqrt(mean_squared_error(actual, forecast)), rel=1e-12)


def test_mape_matches_scikit_learn_in_percent_over_nonzero_actuals(pair) -> None:
    actual, forecast = pair
    actual[:10] = 0.0
    nonzero = actual != 0
    expected = 100 * mean_absolute_percentage_error(actual[nonzero], forecast[nonzero])
    assert mape(actual, forecast) == pytest.approx(expected, rel=1e-12)


def test_mape_is_nan_when_every_actual_is_zero() -> None:
    assert math.isnan(mape([0, 0], [1, 2]))


def test_smape_counts_zero_over_zero_as_no_error_and_stays_within_200() -> None:
    # |0-0| -> 0; |10-0| -> 2*10/10 = 2; |2-1| -> 2*1/3
    assert smape([0, 10, 2], [0, 0, 1]) == pytest.approx(100 * (0 + 2 + 2 / 3) / 3)
    assert smape([5, 0], [-5, 3]) == pytest.approx(200.0)


def test_error_metrics_bundles_the_four(pair) -> None:
    actual, forecast = pair
    assert error_metrics(actual, forecast) == {
        "mae": mae(actual, forecast),
        "rmse": rmse(actual, forecast),
        "mape": mape(actual, forecast),
        "smape": smape(actual, forecast),
    }


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="equal length"):
        mae([1, 2], [1])
