"""Spread statistics on hand-made trades."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from casebook.ticks.spread import spread_stats


def _trades() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "symbol": ["AAA"] * 4,
            "trade_date": [pd.Timestamp("2024-03-04").date()] * 4,
            "trade_pr": [10.02, 9.98, 10.00, 10.00],
            "trade_qty": [100, 200, 50, 10],
            "bid_pr": [9.98, 9.98, 9.99, None],
            "ask_pr": [10.02, 10.02, 10.01, None],
            "quote_age_seconds": [0.5, 1.5, 1.0, None],
        }
    )


def test_spread_is_measured_in_basis_points_of_the_mid() -> None:
    row = spread_stats(_trades(), keys=["symbol"]).iloc[0]
    assert row["mean_spread_bps"] == pytest.approx((40 + 40 + 20) / 3)
    assert row["median_spread_bps"] == pytest.approx(40)


def test_trades_without_a_quote_count_but_do_not_skew_the_spread() -> None:
    row = spread_stats(_trades(), keys=["symbol"]).iloc[0]
    assert row["trade_count"] == 4
    assert row["quoted_trade_count"] == 3
    assert row["traded_qty"] == 360
    assert row["mean_quote_age_seconds"] == pytest.approx(1.0)


def test_aggressor_shares_use_the_quote_in_force() -> None:
    row = spread_stats(_trades(), keys=["symbol", "trade_date"]).iloc[0]
    assert row["share_at_or_above_ask"] == pytest.approx(1 / 3)
    assert row["share_at_or_below_bid"] == pytest.approx(1 / 3)
    assert row["trade_date"] == pd.Timestamp("2024-03-04").date()


def test_a_group_with_no_quotes_gives_nan_spreads() -> None:
    trades = _trades().assign(bid_pr=None, ask_pr=None).astype({"bid_pr": float, "ask_pr": float})
    row = spread_stats(trades, keys=["symbol"]).iloc[0]
    assert math.isnan(row["mean_spread_bps"])
    assert row["quoted_trade_count"] == 0
