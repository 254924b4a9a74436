"""The DTW pyfunc model: predictions for new products, and a round trip through MLflow by run id."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from casebook.dtw.capacity import capacity_pattern
from casebook.dtw.distance import dtw_distance
from casebook.dtw.pyfunc import PREDICTION_COLUMNS, DtwDistanceModel, model_config, predict_distances

PATTERN = capacity_pattern()["capacity_units"].tolist()


def _products(rows: dict[str, list[float | None]]) -> pd.DataFrame:
    weeks = {f"W{week}": [units[week] for units in rows.values()] for week in range(len(PATTERN))}
    return pd.DataFrame({"product_code": list(rows), **weeks})


def test_predict_distances_scores_good_products_and_quarantines_bad_ones() -> None:
    good = [float((week * 3) % 7 + 1) for week in range(52)]
    gap = [*good[:10], None, *good[11:]]
    negative = [*good[:5], -3.0, *good[6:]]
    result = predict_distances(
        _products({"GOOD": good, "GAP": gap, "NEGATIVE": negative, "ZERO": [0.0] * 52}), PATTERN, 0.05
    )
    assert list(result.columns) == PREDICTION_COLUMNS
    assert result["product_code"].tolist() == ["GOOD", "GAP", "NEGATIVE", "ZERO"]
    assert result["window_weeks"].tolist() == [3] * 4
    assert result.loc[0, "dtw_distance"] == pytest.approx(dtw_distance(good, PATTERN, 3))
    assert result["quarantine_reason"].tolist() == [None, "missing_week", "negative_units", "all_zero_units"]
    assert result["dtw_distance"].iloc[1:].isna().all()


def test_predict_distances_takes_integer_counts_and_works_without_product_codes() -> None:
    products = _products({"A": [int(units) for units in PATTERN]}).drop(columns="product_code")
    result = predict_distances(products, PATTERN, 0.0)
    assert result["product_code"].tolist() == [None]
    assert result["dtw_distance"].tolist() == pytest.approx([0.0], abs=1e-9)


def test_predict_distances_names_missing_week_columns() -> None:
    with pytest.raises(ValueError, match=r"W51"):
        predict_distances(_products({"A": PATTERN}).drop(columns="W51"), PATTERN, 0.1)


def test_model_reads_pattern_and_stretch_factor_from_its_config() -> None:
    model = DtwDistanceModel()
    model.configure(model_config(np.array(PATTERN), 0.25))
    assert model.stretch_factor == 0.25
    assert model.pattern == PATTERN
    result = model.predict(None, _products({"SELF": PATTERN}))
    assert result["window_weeks"].tolist() == [13]
