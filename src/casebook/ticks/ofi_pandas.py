"""The order-flow-imbalance chain written with the pandas API on Spark (the seed's Koalas code).

It reads like pandas: sort, shift within each symbol-day, then the row-wise formula. It must give
the same rows as the SQL model int_ticks__order_flow_events (tested).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyspark.pandas as ps

QUOTE_FIELDS = ["bid_pr", "ask_pr", "bid_qty", "ask_qty"]


def order_flow_events(quotes: ps.DataFrame) -> ps.DataFrame:
    """Each quote's OFI contribution e from the previous quote of the same symbol and day."""
    quotes = quotes.sort_values(["symbol", "trade_date", "event_ts"])
    previous = quotes.groupby(["symbol", "trade_date"])[QUOTE_FIELDS].shift(1)
    previous.columns = [f"prev_{name}" for name in QUOTE_FIELDS]
    events = quotes.join(previous)
    events = events[events["prev_bid_pr"].notnull()]
    bid_up = (events["bid_pr"] >= events["prev_bid_pr"]).astype("int64")
    bid_down = (events["bid_pr"] <= events["prev_bid_pr"]).astype("int64")
    ask_down = (events["ask_pr"] <= events["prev_ask_pr"]).astype("int64")
    ask_up = (events["ask_pr"] >= events["prev_ask_pr"]).astype("int64")
    events["ofi_contribution"] = (
        events["bid_qty"] * bid_up
        - events["prev_bid_qty"].astype("int64") * bid_down
        - events["ask_qty"] * ask_down
        + events["prev_ask_qty"].astype("int64") * ask_up
    )
    columns = ["symbol", "event_ts", "seq", "trade_date", *QUOTE_FIELDS, "ofi_contribution"]
    return events[columns]
