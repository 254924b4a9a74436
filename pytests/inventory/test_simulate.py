"""The batch function the Python model runs on Spark (mapInPandas), called directly on pandas frames."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from casebook.inventory.montecarlo import PolicySettings
from casebook.inventory.simulate import OUTPUT_COLUMNS, resolve_as_of_date, simulate_batch

SETTINGS = PolicySettings(iterations=2_000, service_level=0.9, review_period_days=7, seed=5)
AS_OF = date(2024, 12, 31)


def _series(*rows: tuple[str, list[int] | None, list[int] | None, float]) -> pd.DataFrame:
    """Series rows as mapInPandas hands them over: issue arrays per series, nullable stock as float."""
    return pd.DataFrame(
        {
            "location_id": ["LOC001"] * len(rows),
            "material_id": [material for material, *_ in rows],
            "lead_time_days": [14] * len(rows),
            "on_hand_qty": [on_hand for *_, on_hand in rows],
            "day_index": [None if days is None else np.array(days) for _, days, _, _ in rows],
            "issued_qty": [None if qty is None else np.array(qty) for _, _, qty, _ in rows],
        }
    )


def test_output_has_the_declared_columns_and_the_run_settings() -> None:
    out = simulate_batch(_series(("MAT1", [0, 10, 99], [3, 1, 8], 12.0)), SETTINGS, AS_OF, history_days=100)
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    row = out.iloc[0]
    assert row["history_start_date"] == date(2024, 9, 23)
    assert (row["iterations"], row["service_level"], row["review_period_days"]) == (2_000, 0.9, 7)
    assert row["demand_days"] == 3
    assert row["mean_daily_demand_qty"] == pytest.approx(12 / 100)
    assert row["on_hand_qty"] == 12


def test_issue_order_and_batch_neighbours_do_not_change_a_series() -> None:
    # Spark collects a series' issues in any order and batches series arbitrarily.
    alone = simulate_batch(_series(("MAT1", [0, 10, 50, 99], [3, 1, 2, 8], 5.0)), SETTINGS, AS_OF, 100)
    batch = simulate_batch(
        _series(("MAT0", [4], [9], 1.0), ("MAT1", [99, 50, 0, 10], [8, 2, 3, 1], 5.0)), SETTINGS, AS_OF, 100
    )
    pd.testing.assert_frame_equal(batch.iloc[[1]].reset_index(drop=True), alone)


def test_a_series_without_issues_in_the_window_gets_a_zero_policy() -> None:
    row = simulate_batch(_series(("MAT1", None, None, 3.0)), SETTINGS, AS_OF, history_days=365).iloc[0]
    assert row["reorder_point_qty"] == row["recommended_stock_qty"] == 0
    assert row["demand_days"] == 0


def test_unknown_stock_leaves_the_on_hand_risk_empty() -> None:
    out = simulate_batch(_series(("MAT1", [1], [4], np.nan), ("MAT2", [2], [1], 0.0)), SETTINGS, AS_OF, 30)
    assert pd.isna(out.loc[0, "on_hand_qty"])
    assert pd.isna(out.loc[0, "stockout_probability_at_on_hand"])
    assert out.loc[1, "on_hand_qty"] == 0
    assert out.loc[1, "stockout_probability_at_on_hand"] > 0


def test_a_configured_as_of_date_wins_over_the_stock_snapshot() -> None:
    # dbt renders the var into the model's meta as text; the stock table is not even read then.
    assert resolve_as_of_date(None, "2024-06-30") == date(2024, 6, 30)
    assert resolve_as_of_date(None, date(2024, 6, 30)) == date(2024, 6, 30)
