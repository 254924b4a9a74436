"""The shared tick schema: both producers (the generator and the LOBSTER loader) emit exactly this."""

from __future__ import annotations

import pyarrow as pa

TRADE_COLUMNS = ["symbol", "event_ts", "seq", "trade_pr", "trade_qty"]
QUOTE_COLUMNS = ["symbol", "event_ts", "seq", "bid_pr", "ask_pr", "bid_qty", "ask_qty"]
EVENT_TS_DTYPE = "datetime64[us, UTC]"
TRADE_ARROW_SCHEMA = pa.schema(
    [
        ("symbol", pa.string()),
        ("event_ts", pa.timestamp("us", tz="UTC")),
        ("seq", pa.int64()),
        ("trade_pr", pa.float64()),
        ("trade_qty", pa.int64()),
    ]
)
QUOTE_ARROW_SCHEMA = pa.schema(
    [
        ("symbol", pa.string()),
        ("event_ts", pa.timestamp("us", tz="UTC")),
        ("seq", pa.int64()),
        ("bid_pr", pa.float64()),
        ("ask_pr", pa.float64()),
        ("bid_qty", pa.int64()),
        ("ask_qty", pa.int64()),
    ]
)

HALT_ARROW_SCHEMA = pa.schema(
    [
        ("symbol", pa.string()),
        ("halt_start_ts", pa.timestamp("us", tz="UTC")),
        ("halt_end_ts", pa.timestamp("us", tz="UTC")),
        ("halt_reason", pa.string()),
    ]
)
