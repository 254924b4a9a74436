"""Deterministic synthetic equity tick data (trades + level-1 quotes) in the shared schema.

The same (scale, seed) always gives the same rows and byte-identical Parquet files, so the
pipeline's tests and benchmarks can rely on exact counts without shipping data.

Model, per symbol and trading day:
  * event times follow a U-shaped intensity over the 09:30-16:00 America/New_York session
    (a mix of an arcsine and a uniform law), at microsecond resolution, with bursts of
    events sharing a timestamp; quotes and trades are interleaved in one sequence `seq`
    (0, 1, 2, ... in time order, ties in time broken by seq) that restarts every day;
  * the mid price is a geometric Brownian motion in event time; quotes sit a few $0.01
    ticks around it (relative spreads widest for low-priced names, never locked or
    crossed) with round-lot sizes;
  * each trade prints at the bid or ask of the prevailing quote (the last clean quote
    before it in seq order), sometimes at the midpoint, with heavy-tailed round- or
    odd-lot sizes.

About 0.1 % of the rows are injected bad rows the pipeline must quarantine (see `events`).

The package's modules: `schema` (the shared columns), `session` (exchange hours and days), `events`
(one symbol-day and its bad rows), `generator` (scales, universe, Parquet parts), `halts`.
"""

from __future__ import annotations

from casebook.data.ticks.events import BAD_ROW_KINDS, bad_row_kind_counts
from casebook.data.ticks.generator import SCALES, TickScale, generate_ticks, write_ticks
from casebook.data.ticks.halts import trading_halts
from casebook.data.ticks.schema import (
    EVENT_TS_DTYPE,
    HALT_ARROW_SCHEMA,
    QUOTE_ARROW_SCHEMA,
    QUOTE_COLUMNS,
    TRADE_ARROW_SCHEMA,
    TRADE_COLUMNS,
)
from casebook.data.ticks.session import EXCHANGE_TZ, FIRST_TRADING_DAY, session_bounds_utc, trading_days

__all__ = [
    "BAD_ROW_KINDS",
    "EVENT_TS_DTYPE",
    "EXCHANGE_TZ",
    "FIRST_TRADING_DAY",
    "HALT_ARROW_SCHEMA",
    "QUOTE_ARROW_SCHEMA",
    "QUOTE_COLUMNS",
    "SCALES",
    "TRADE_ARROW_SCHEMA",
    "TRADE_COLUMNS",
    "TickScale",
    "bad_row_kind_counts",
    "generate_ticks",
    "session_bounds_utc",
    "trading_days",
    "trading_halts",
    "write_ticks",
]
