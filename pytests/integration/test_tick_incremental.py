"""Incremental tick facts: two landings (the second with late quotes) give the one-landing tables.

The test lands the generated tiny ticks (seed 42) in the shared tiny warehouse and builds in this
process (warm: no JVM start): first all at once (the one-landing tables), then in two parts. Since it
changes the shared warehouse's data, it runs after every other test on it (marker
changes_shared_warehouse); it builds its own one-landing tables, so it needs no other test's ticks."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from casebook.data.lake import replace_folder, write_frame
from casebook.data.ticks import (
    HALT_ARROW_SCHEMA,
    QUOTE_ARROW_SCHEMA,
    TRADE_ARROW_SCHEMA,
    generate_ticks,
    trading_days,
    trading_halts,
)
from pytests.integration.conftest import SEED, Warehouse

pytestmark = pytest.mark.integration

SELECT = ["--select", "+fct_trades", "+fct_quotes"]
LATE_WINDOW = pd.Timedelta(minutes=20)
LINEAGE_COLUMNS = ["trade_loaded_at", "inputs_loaded_at", "loaded_at"]


def _land(data_dir: Path, part: int, trades: pd.DataFrame, quotes: pd.DataFrame) -> None:
    """Write one landing of ticks as its own part files (as a feed would drop a new file)."""
    raw = data_dir / "raw" / "ticks"
    for name, frame, schema in (
        ("trades", trades, TRADE_ARROW_SCHEMA),
        ("quotes", quotes, QUOTE_ARROW_SCHEMA),
    ):
        if part == 0:
            replace_folder(raw / name)
        write_frame(frame, raw / name, part=part, schema=schema)
    if part == 0:
        symbols = sorted(trades["symbol"].dropna().unique())
        replace_folder(raw / "halts")
        write_frame(trading_halts(symbols, trading_days(1)[0]), raw / "halts", schema=HALT_ARROW_SCHEMA)


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.drop(columns=[c for c in LINEAGE_COLUMNS if c in frame.columns])
    return frame.sort_values(["symbol", "event_ts", "seq"]).reset_index(drop=True)


def _table(read_delta, data_dir: Path, table: str) -> pd.DataFrame:
    return _ordered(read_delta(data_dir / "warehouse" / "marts.db" / table))


@pytest.mark.changes_shared_warehouse
def test_late_quotes_in_a_second_landing_correct_the_trades_they_precede(
    warehouse: Warehouse, read_delta
) -> None:
    trades, quotes = generate_ticks("tiny", SEED)
    cutoff = trades["event_ts"].dropna().quantile(0.6)
    late_symbol = trades["symbol"].dropna().min()
    # Quotes of one symbol from the 20 minutes before the cutoff arrive only with the second file.
    is_late = (quotes["symbol"] == late_symbol) & quotes["event_ts"].between(cutoff - LATE_WINDOW, cutoff)
    first_trades = trades[~(trades["event_ts"] >= cutoff)]
    first_quotes = quotes[~(quotes["event_ts"] >= cutoff) & ~is_late]
    # The one-landing tables: every tick at once, built from nothing (--full-refresh).
    data_dir = warehouse.data_dir
    _land(data_dir, 0, trades, quotes)
    warehouse.dbt_succeeds("run", "--full-refresh", *SELECT)
    in_one = {table: _table(read_delta, data_dir, table) for table in ("fct_trades", "fct_quotes")}

    # Two landings: the first built from nothing, the second incremental. Only the incremental run is
    # built with its 16 data and unit tests (a second or more each): the first landing's tables are
    # what it replaces, and the shared warehouse's build tests its own.
    _land(data_dir, 0, first_trades, first_quotes)
    warehouse.dbt_succeeds("run", "--full-refresh", *SELECT)
    before_late = _table(read_delta, data_dir, "fct_trades")
    time.sleep(1.1)  # landing times are what the incremental models compare
    _land(data_dir, 1, trades[trades["event_ts"] >= cutoff], quotes[(quotes["event_ts"] >= cutoff) | is_late])
    warehouse.dbt_succeeds("build", *SELECT)

    for table, expected in in_one.items():
        pd.testing.assert_frame_equal(_table(read_delta, data_dir, table), expected)
    # The late quotes did change answers: the first run had joined those trades to older quotes.
    final = in_one["fct_trades"].set_index(["symbol", "event_ts", "seq"])
    early = before_late.set_index(["symbol", "event_ts", "seq"])
    changed = (early["quote_seq"] != final.loc[early.index, "quote_seq"]).sum()
    assert changed > 0
