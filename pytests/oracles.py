"""Independent implementations to check the warehouse against: pandas and DuckDB."""

from __future__ import annotations

from itertools import pairwise

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


def matched_quotes(frame: pd.DataFrame) -> pd.DataFrame:
    """The quote each trade was matched to (an as-of join's result), in one order and one dtype per
    column, so two engines' results compare with assert_frame_equal."""
    columns = ["symbol", "seq", "quote_seq", *QUOTE_FIELDS]
    return (
        frame[columns]
        .sort_values(["symbol", "seq"])
        .reset_index(drop=True)
        .astype({"quote_seq": "float64", "bid_qty": "float64", "ask_qty": "float64"})
    )


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


def book_states(quotes: pd.DataFrame, timezone: str) -> dict[tuple[str, object], list[tuple]]:
    """The book's successive states per (symbol, exchange day), replayed in feed order.

    Each quote row is the top of the book after one event; events sharing a timestamp happen at
    once, so the state at that time is the one after the last of them (a later event overwrites it).
    """
    states: dict[tuple[str, object], dict[pd.Timestamp, tuple]] = {}
    for row in quotes.sort_values("seq").itertuples(index=False):
        day = row.event_ts.tz_convert(timezone).date()
        states.setdefault((row.symbol, day), {})[row.event_ts] = (
            row.bid_pr,
            row.bid_qty,
            row.ask_pr,
            row.ask_qty,
        )
    return {key: sorted(by_time.items()) for key, by_time in states.items()}


def ofi_step(previous: tuple, current: tuple) -> int:
    """e_n of Cont, Kukanov & Stoikov (2014) between two successive states (bid, bid size, ask, ask size).

    Bid side: a higher bid adds its whole queue, a lower bid removes the previous queue, an unchanged
    bid adds the change in size. Ask side mirrored, with the opposite sign.
    """
    bid, bid_qty, ask, ask_qty = current
    prev_bid, prev_bid_qty, prev_ask, prev_ask_qty = previous
    if bid > prev_bid:
        bid_flow = bid_qty
    elif bid < prev_bid:
        bid_flow = -prev_bid_qty
    else:
        bid_flow = bid_qty - prev_bid_qty
    if ask < prev_ask:
        ask_flow = ask_qty
    elif ask > prev_ask:
        ask_flow = -prev_ask_qty
    else:
        ask_flow = ask_qty - prev_ask_qty
    return int(bid_flow - ask_flow)


def pandas_order_flow_imbalance(quotes: pd.DataFrame, bucket: str, timezone: str) -> pd.DataFrame:
    """Order-flow imbalance per symbol and bucket (UTC floor), summed from e_n over the book's
    successive states (the last state per timestamp), the first state of a symbol-day excluded."""
    rows = []
    for (symbol, _day), states in book_states(quotes, timezone).items():
        for (_, previous), (event_ts, current) in pairwise(states):
            rows.append((symbol, event_ts.floor(bucket), ofi_step(previous, current)))
    steps = pd.DataFrame(rows, columns=["symbol", "bucket_start_ts", "order_flow_imbalance"])
    return steps.groupby(["symbol", "bucket_start_ts"], as_index=False)["order_flow_imbalance"].sum()
