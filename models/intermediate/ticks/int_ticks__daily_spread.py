"""Bid-ask spread statistics per symbol and trading day, built incrementally (for fct_daily_spread).

Each incremental run recomputes the last stored day (it may have been partial) and any later
day, and merges them on (symbol, trade_date).
"""

from casebook.ticks.spread import spread_stats_by, trades_to_refresh


def model(dbt, session):
    dbt.config(
        materialized="incremental",
        incremental_strategy="merge",
        unique_key=["symbol", "trade_date"],
    )
    trades = dbt.ref("fct_trades")
    existing = session.table(str(dbt.this)) if dbt.is_incremental else None
    return spread_stats_by(trades_to_refresh(trades, existing), keys=["symbol", "trade_date"])
