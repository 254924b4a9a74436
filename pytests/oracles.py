"""Independent implementations to check the warehouse against: pandas and DuckDB."""

from __future__ import annotations

import duckdb
import pandas as pd

QUOTE_FIELDS = ["bid_pr", "ask_pr", "bid_qty", "ask_qty"]


def last_quote_per_timestamp(quotes: pd.DataFrame) -> pd.DataFrame:
    """One quote per (symbol, event_ts): the one with the highest seq, as the as-of join sees it."""
    ordered = quotes.sort_values(["symbol", "event_ts", "seq"])
    return ordered.drop_duplicates(["symbol", "event_ts"], keep="last")


def pandas_asof(trades: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """pandas.merge_asof: the latest quote at or before each trade, same symbol."""
    right = last_quote_per_timestamp(quotes).rename(columns={"seq": "quote_seq"})
    right = right.assign(quote_event_ts=right["event_ts"]).sort_values("event_ts")
    left = trades.sort_values("event_ts")
    joined = pd.merge_asof(
        left,
        right[["symbol", "event_ts", "quote_event_ts", "quote_seq", *QUOTE_FIELDS]],
        on="event_ts",
        by="symbol",
        direction="backward",
        allow_exact_matches=True,
    )
    return joined.sort_values(["symbol", "seq"]).reset_index(drop=True)


def duckdb_asof(trades: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """DuckDB's ASOF JOIN over the same frames."""
    connection = duckdb.connect()
    connection.register("trades", trades)
    connection.register("quotes", last_quote_per_timestamp(quotes))
    joined = connection.execute(
        """
        select
            t.symbol, t.seq, t.event_ts, t.trade_pr, t.trade_qty,
            q.event_ts as quote_event_ts, q.seq as quote_seq,
            q.bid_pr, q.ask_pr, q.bid_qty, q.ask_qty
        from trades as t
        asof left join quotes as q
            on t.symbol = q.symbol and t.event_ts >= q.event_ts
        order by t.symbol, t.seq
        """
    ).df()
    connection.close()
    return joined


def pandas_order_flow_imbalance(quotes: pd.DataFrame, bucket: str, timezone: str) -> pd.DataFrame:
    """Order-flow imbalance per symbol and bucket, computed with plain pandas.

    One quote per (symbol, event_ts) with the most depth (then highest seq); each quote compared
    with the previous one of the same symbol and exchange day; contributions summed per bucket.
    """
    ranked = quotes.assign(depth=quotes["bid_qty"] + quotes["ask_qty"])
    ranked = ranked.sort_values(["symbol", "event_ts", "depth", "seq"])
    kept = ranked.drop_duplicates(["symbol", "event_ts"], keep="last").copy()
    kept["trade_date"] = kept["event_ts"].dt.tz_convert(timezone).dt.date
    previous = kept.groupby(["symbol", "trade_date"])[QUOTE_FIELDS].shift(1)
    bid, ask, prev_bid, prev_ask = kept["bid_pr"], kept["ask_pr"], previous["bid_pr"], previous["ask_pr"]
    kept["ofi"] = (
        kept["bid_qty"] * (bid >= prev_bid)
        - previous["bid_qty"] * (bid <= prev_bid)
        - kept["ask_qty"] * (ask <= prev_ask)
        + previous["ask_qty"] * (ask >= prev_ask)
    )
    kept = kept[previous["bid_pr"].notna()]
    kept["bucket_start_ts"] = kept["event_ts"].dt.floor(bucket)
    summed = kept.groupby(["symbol", "bucket_start_ts"], as_index=False)["ofi"].sum()
    return summed.rename(columns={"ofi": "order_flow_imbalance"})
