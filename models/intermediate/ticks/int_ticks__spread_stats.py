"""Bid-ask spread statistics at trade time, one row per symbol (marts.fct_spread_stats publishes it)."""

from casebook.ticks.spread import spread_stats_by


def model(dbt, session):
    dbt.config(materialized="table")
    trades = dbt.ref("fct_trades")
    return spread_stats_by(trades, keys=["symbol"])
