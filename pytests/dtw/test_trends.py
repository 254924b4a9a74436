"""Per-product distances and per-stretch-factor z-scores (the pandas functions Spark runs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from casebook.dtw.capacity import capacity_pattern
from casebook.dtw.distance import STRETCH_FACTORS, dtw_distance
from casebook.dtw.trends import SCORED_COLUMNS, add_zscores, capacity_units, product_distances


def _product(code: str, units: list[float]) -> pd.DataFrame:
    frame = pd.DataFrame({"product_code": code, "week_nr": range(len(units)), "sales_units": units})
    return frame.sample(frac=1.0, random_state=3)  # Spark hands rows over in any order


@pytest.fixture
def pattern() -> np.ndarray:
    return capacity_units(capacity_pattern())


def test_product_distances_gives_one_row_per_stretch_factor_in_week_order(pattern: np.ndarray) -> None:
    units = [float((week * 5) % 13) for week in range(52)]
    result = product_distances(_product("P9", units), pattern)
    assert result["product_code"].tolist() == ["P9"] * len(STRETCH_FACTORS)
    assert result["stretch_factor"].tolist() == list(STRETCH_FACTORS)
    assert result["window_weeks"].tolist() == [0, 1, 2, 3, 6, 13, 26]
    expected = [dtw_distance(units, pattern, radius) for radius in result["window_weeks"]]
    assert result["dtw_distance"].to_numpy() == pytest.approx(expected)


@pytest.mark.parametrize(
    ("units", "reason"),
    [
        ([1.0] * 51, "missing_week"),
        ([1.0] * 51 + [-1.0], "negative_units"),
        ([0.0] * 52, "all_zero_units"),
    ],
)
def test_product_distances_refuses_a_product_staging_should_have_quarantined(
    pattern: np.ndarray, units: list[float], reason: str
) -> None:
    with pytest.raises(ValueError, match=f"P1: {reason}"):
        product_distances(_product("P1", units), pattern)


def test_product_distances_refuses_a_gap_in_the_week_numbers(pattern: np.ndarray) -> None:
    frame = pd.DataFrame({"product_code": "P2", "week_nr": [*range(51), 60], "sales_units": 1.0})
    with pytest.raises(ValueError, match="P2: missing_week"):
        product_distances(frame, pattern)


def test_add_zscores_uses_the_population_sd_and_flags_beyond_the_threshold() -> None:
    distances = pd.DataFrame(
        {
            "product_code": [f"P{i}" for i in range(10)],
            "stretch_factor": 0.05,
            "window_weeks": 3,
            "dtw_distance": [1.0] * 9 + [10.0],
        }
    )
    scored = add_zscores(distances, outlier_abs_zscore=2.0)
    assert list(scored.columns) == list(SCORED_COLUMNS)
    # mean 1.9, population sd 2.7: the last product is 3 sd away, the others -1/3
    assert scored["distance_zscore"].tolist() == pytest.approx([-1 / 3] * 9 + [3.0])
    assert scored["is_outlier"].tolist() == [False] * 9 + [True]
    assert not add_zscores(distances, outlier_abs_zscore=3.0)["is_outlier"].any()


def test_add_zscores_of_equal_distances_is_zero_not_nan() -> None:
    distances = pd.DataFrame(
        {"product_code": ["A", "B"], "stretch_factor": 0.1, "window_weeks": 6, "dtw_distance": [0.7, 0.7]}
    )
    scored = add_zscores(distances, outlier_abs_zscore=2.0)
    assert scored["distance_zscore"].tolist() == [0.0, 0.0]
    assert not scored["is_outlier"].any()


def test_capacity_units_orders_by_week_and_refuses_missing_weeks() -> None:
    pattern = pd.DataFrame({"week_nr": [2, 0, 1], "capacity_units": [30.0, 10.0, 20.0]})
    assert capacity_units(pattern).tolist() == [10.0, 20.0, 30.0]
    with pytest.raises(ValueError, match="one row per week"):
        capacity_units(pattern[pattern["week_nr"] != 1])
