"""The tick benchmark's data sets: sizes, generation, and where each engine's files go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from _common import (
    REPO_ROOT,
    BenchDataDir,
)

MODELS = {"asof": "fct_trades", "vwap": "fct_vwap_1m"}
TASK_TITLES = {"asof": "As-of join (fct_trades)", "vwap": "One-minute VWAP (fct_vwap_1m)"}
PEERS = ("duckdb", "pandas")
DUCKDB_THREADS = 2
CHECK_MEMORY_LIMIT = "6GB"
VWAP_RELATIVE_TOLERANCE = 1e-9
MISMATCH_EXAMPLES = 10
LOAD_SAMPLE_SECONDS = 15.0
# A custom data set: 100 symbols per million trades, 2 days of 5,000 trades per symbol-day.
SYMBOLS_PER_MILLION, DAYS, TRADES_PER_SYMBOL_DAY, QUOTES_PER_TRADE = 100, 2, 5_000, 3.0
TRADE_COLUMNS = ["symbol", "event_ts", "seq", "trade_date", "trade_pr", "trade_qty"]
QUOTE_COLUMNS = ["symbol", "event_ts", "seq", "trade_date", "bid_pr", "ask_pr", "bid_qty", "ask_qty"]


def project_vars() -> dict[str, Any]:
    """dbt_project.yml's vars: the exchange time zone and session bounds the models use."""
    return yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]


VARS = project_vars()
EXCHANGE_TZ: str = VARS["ticks_exchange_timezone"]
SESSION_OPEN: str = VARS["ticks_market_open"]
SESSION_CLOSE: str = VARS["ticks_market_close"]


# --------------------------------------------------------------------------- paths and data


class BenchPaths(BenchDataDir):
    """Every file the benchmark reads or writes for one data set."""

    @property
    def bench_dir(self) -> Path:
        return self.data_dir / "bench"

    @property
    def clean_trades(self) -> Path:
        """Spark's staging.stg_ticks__trades as a Parquet folder."""
        return self.bench_dir / "clean_trades"

    @property
    def clean_quotes(self) -> Path:
        """Spark's staging.stg_ticks__quotes as a Parquet folder."""
        return self.bench_dir / "clean_quotes"

    def output(self, task: str, engine: str) -> Path:
        """An engine's result of `task` (asof or vwap); Casebook's export is a folder."""
        suffix = "" if engine == "casebook" else ".parquet"
        return self.bench_dir / f"{task}_{engine}{suffix}"

    def parquet_glob(self, task: str, engine: str) -> str:
        """What DuckDB reads for an engine's result of `task`."""
        path = self.output(task, engine)
        return f"{path}/*.parquet" if engine == "casebook" else str(path)


def dataset_for_trades(millions: float) -> str:
    """The generator scale holding about `millions` million trades, registered if new.

    The scale is 100 symbols per million trades over 2 days at 5,000 trades per symbol-day, so
    1 million is exactly the generator's `medium` and larger sizes only add symbols.
    """
    from casebook.data.ticks import SCALES, TickScale

    scale = TickScale(
        symbols=round(SYMBOLS_PER_MILLION * millions),
        days=DAYS,
        trades_per_symbol_day=TRADES_PER_SYMBOL_DAY,
        quotes_per_trade=QUOTES_PER_TRADE,
    )
    for name, known in SCALES.items():
        if known == scale:
            return name
    name = f"trades{millions:g}m"
    SCALES[name] = scale  # this process only: write_ticks looks scales up by name
    return name
