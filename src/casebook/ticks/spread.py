"""Bid-ask spread statistics at trade time, per symbol or per symbol and day."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from casebook.spark import apply_per_group

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

BASIS_POINTS = 1e4
STAT_COLUMNS = {
    "trade_count": "bigint",
    "quoted_trade_count": "bigint",
    "traded_qty": "bigint",
    "mean_spread_bps": "double",
    "median_spread_bps": "double",
    "p95_spread_bps": "double",
    "mean_quote_age_seconds": "double",
    "share_at_or_above_ask": "double",
    "share_at_or_below_bid": "double",
}
INPUT_COLUMNS = ["symbol", "trade_date", "trade_pr", "trade_qty", "bid_pr", "ask_pr", "quote_age_seconds"]


def spread_stats(trades: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row of spread statistics for one group of trades (all sharing the same `keys`).

    Spreads are in basis points of the mid. Trades without a quote count in trade_count only.
    """
    quoted = trades.dropna(subset=["bid_pr", "ask_pr"])
    mid = (quoted["bid_pr"] + quoted["ask_pr"]) / 2
    spread_bps = (quoted["ask_pr"] - quoted["bid_pr"]) / mid * BASIS_POINTS
    row = {key: trades[key].iloc[0] for key in keys}
    row.update(
        trade_count=len(trades),
        quoted_trade_count=len(quoted),
        traded_qty=int(trades["trade_qty"].sum()),
        mean_spread_bps=_or_nan(spread_bps.mean()),
        median_spread_bps=_or_nan(spread_bps.median()),
        p95_spread_bps=_or_nan(spread_bps.quantile(0.95)),
        mean_quote_age_seconds=_or_nan(quoted["quote_age_seconds"].mean()),
        share_at_or_above_ask=_share(quoted["trade_pr"] >= quoted["ask_pr"]),
        share_at_or_below_bid=_share(quoted["trade_pr"] <= quoted["bid_pr"]),
    )
    return pd.DataFrame([row], columns=[*keys, *STAT_COLUMNS])


def _or_nan(value: float) -> float:
    return float(value) if pd.notna(value) else np.nan


def _share(flags: pd.Series) -> float:
    return float(flags.mean()) if len(flags) else np.nan


def _schema(keys: list[str], key_types: dict[str, str]) -> str:
    fields = [f"{key} {key_types[key]}" for key in keys]
    fields += [f"{name} {kind}" for name, kind in STAT_COLUMNS.items()]
    return ", ".join(fields)


def spread_stats_by(trades: DataFrame, keys: list[str]) -> DataFrame:
    """Spread statistics per group of `keys` (symbol, or symbol and trade_date) on Spark."""
    key_types = {"symbol": "string", "trade_date": "date"}
    return apply_per_group(
        trades.select(*INPUT_COLUMNS),
        keys,
        partial(spread_stats, keys=keys),
        _schema(keys, key_types),
    )


def trades_to_refresh(trades: DataFrame, existing: DataFrame | None) -> DataFrame:
    """Trades of the days an incremental run must (re)compute: the last stored day and later."""
    if existing is None:
        return trades
    last_day = existing.agg({"trade_date": "max"}).first()[0]
    return trades if last_day is None else trades.where(trades.trade_date >= last_day)
