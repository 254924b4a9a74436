"""The real LOBSTER AMZN day through `casebook data ingest` and `dbt build`, against independent
computations: DuckDB's ASOF JOIN, and pandas for VWAP and order-flow imbalance.

The day is ingested into the shared tiny warehouse and its ticks models rebuilt from nothing
(--full-refresh) in this process, warm; so the module runs after every other test on the shared
warehouse (marker changes_shared_warehouse)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

from casebook.data.lobster import read_lobster
from pytests.conftest import VENV_BIN, require_real_data
from pytests.integration.conftest import Warehouse
from pytests.oracles import QUOTE_FIELDS, duckdb_asof, pandas_order_flow_imbalance

pytestmark = [pytest.mark.integration, pytest.mark.real_data, pytest.mark.changes_shared_warehouse]

LOBSTER_DAY = "lobster_amzn_2012-06-21"
EXECUTIONS = 11_419
DAY_VWAP = 222.634765
MEAN_SPREAD_AT_TRADE = 0.125207
# Per-minute order-flow imbalance over the book's last state per timestamp (issue 16), computed by
# pytests.oracles.pandas_order_flow_imbalance: minutes, sum, min, max.
OFI_MINUTES, OFI_SUM, OFI_MIN, OFI_MAX = 390, -88_076, -30_294, 35_981
EXCHANGE_TZ = "America/New_York"


@pytest.fixture(scope="module")
def lobster_build(warehouse: Warehouse, read_delta):
    """The ticks models built over the real day, and the loader's frames to check them against."""
    source = require_real_data(LOBSTER_DAY)
    data_dir = warehouse.data_dir
    subprocess.run(
        [str(VENV_BIN / "casebook"), "data", "ingest", "lobster", str(source)],
        env={"CASEBOOK_DATA_DIR": str(data_dir), "PATH": str(VENV_BIN)},
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    warehouse.dbt_succeeds("build", "--full-refresh", "--select", "path:models/staging/ticks+")
    marts = data_dir / "warehouse" / "marts.db"
    trades, quotes = read_lobster(source)
    return {"read": lambda table: read_delta(marts / table), "trades": trades, "quotes": quotes}


def test_every_execution_gets_the_quote_duckdb_asof_join_gives(lobster_build) -> None:
    built = lobster_build["read"]("fct_trades")
    expected = duckdb_asof(lobster_build["trades"], lobster_build["quotes"])
    assert len(built) == len(expected) == EXECUTIONS
    assert built["bid_pr"].notna().all() and built["ask_pr"].notna().all()
    columns = ["seq", "quote_seq", *QUOTE_FIELDS]
    actual = built[columns].sort_values("seq").reset_index(drop=True)
    oracle = expected[columns].sort_values("seq").reset_index(drop=True)
    pd.testing.assert_frame_equal(actual, oracle, check_dtype=False)


def test_day_vwap_equals_pandas(lobster_build) -> None:
    trades = lobster_build["trades"]
    local = trades["event_ts"].dt.tz_convert(EXCHANGE_TZ)
    in_session = trades[(local.dt.strftime("%H:%M") >= "09:30") & (local.dt.strftime("%H:%M") < "16:00")]
    expected = (in_session["trade_pr"] * in_session["trade_qty"]).sum() / in_session["trade_qty"].sum()
    (day,) = lobster_build["read"]("fct_vwap_1d").itertuples()
    assert day.vwap_pr == pytest.approx(expected, rel=1e-9)
    assert round(day.vwap_pr, 6) == DAY_VWAP
    assert day.volume_qty == in_session["trade_qty"].sum() == 810_755


def test_minute_order_flow_imbalance_equals_pandas(lobster_build) -> None:
    expected = pandas_order_flow_imbalance(lobster_build["quotes"], "1min", EXCHANGE_TZ)
    built = lobster_build["read"]("fct_order_flow_imbalance_1m")
    actual = built[["symbol", "bucket_start_ts", "order_flow_imbalance"]]
    actual = actual.sort_values("bucket_start_ts").reset_index(drop=True)
    expected = expected.sort_values("bucket_start_ts").reset_index(drop=True)
    assert len(actual) == len(expected) > 380
    assert (
        actual["bucket_start_ts"].dt.tz_localize(None) == expected["bucket_start_ts"].dt.tz_localize(None)
    ).all()
    assert (
        actual["order_flow_imbalance"].tolist() == expected["order_flow_imbalance"].astype("int64").tolist()
    )


def test_mean_spread_at_trade_is_unchanged(lobster_build) -> None:
    built = lobster_build["read"]("fct_trades")
    assert len(built) == EXECUTIONS
    assert round(built["spread_pr"].mean(), 6) == MEAN_SPREAD_AT_TRADE


def test_minute_order_flow_imbalance_uses_the_last_book_state_per_timestamp(lobster_build) -> None:
    oracle = pandas_order_flow_imbalance(lobster_build["quotes"], "1min", EXCHANGE_TZ)
    built = lobster_build["read"]("fct_order_flow_imbalance_1m")["order_flow_imbalance"]
    for values in (oracle["order_flow_imbalance"], built):
        assert (len(values), values.sum(), values.min(), values.max()) == (
            OFI_MINUTES,
            OFI_SUM,
            OFI_MIN,
            OFI_MAX,
        )
