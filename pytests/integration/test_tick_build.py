"""`dbt build` at tiny scale: SQL and Python models on the embedded engine, checked against oracles."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest
from dbt.cli.main import dbtRunnerResult

from casebook.settings import from_project
from casebook.ticks.settings import TicksSettings
from pytests.integration.conftest import Warehouse
from pytests.oracles import duckdb_asof, matched_quotes, pandas_asof

# make test-fast runs this module beside the unit tests (its one tiny integration build).
pytestmark = [pytest.mark.integration, pytest.mark.inner_loop]

MART_TABLES = ["marts.fct_trades", "marts.fct_spread_stats", "marts.fct_daily_spread"]
BROKEN_PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "broken_project"


def _frame(spark, table: str) -> pd.DataFrame:
    return spark.table(table).toPandas()


def _table_digest(spark, table: str) -> str:
    frame = _frame(spark, table)
    ordered = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return hashlib.sha256(pd.util.hash_pandas_object(ordered, index=False).values.tobytes()).hexdigest()


def _node_results(result: dbtRunnerResult) -> dict[str, str]:
    """Status of every node dbt built or tested (exposures only document: dbt reports them as no-op)."""
    return {r.node.name: str(r.status) for r in result.result if r.node.resource_type != "exposure"}


def test_build_runs_sql_and_python_models_of_both_materializations(first_build: dbtRunnerResult) -> None:
    statuses = _node_results(first_build)
    assert statuses["fct_trades"] == "success"
    assert statuses["int_ticks__spread_stats"] == "success"  # python, table
    assert statuses["int_ticks__daily_spread"] == "success"  # python, incremental
    assert statuses["fct_daily_spread"] == "success"  # its SQL mart with a contract, incremental
    assert all(status in {"success", "pass"} for status in statuses.values()), statuses


def test_asof_join_equals_pandas_merge_asof(spark) -> None:
    trades = _frame(spark, "staging.stg_ticks__trades")
    quotes = _frame(spark, "staging.stg_ticks__quotes")
    expected = matched_quotes(pandas_asof(trades, quotes))
    actual = matched_quotes(_frame(spark, "marts.fct_trades"))
    assert len(actual) == len(trades) > 1000
    pd.testing.assert_frame_equal(actual, expected)


def test_asof_join_equals_duckdb_asof_join(spark) -> None:
    trades = _frame(spark, "staging.stg_ticks__trades")
    quotes = _frame(spark, "staging.stg_ticks__quotes")
    expected = matched_quotes(duckdb_asof(trades, quotes))
    actual = matched_quotes(_frame(spark, "marts.fct_trades"))
    pd.testing.assert_frame_equal(actual, expected)


def test_every_injected_bad_row_is_quarantined_with_its_reason(spark) -> None:
    quarantine = _frame(spark, "staging.stg_ticks__quarantined_events")
    reasons = set(zip(quarantine["source_table"], quarantine["quarantine_reason"], strict=True))
    assert reasons >= {
        ("trades", "missing_symbol"),
        ("trades", "missing_event_ts"),
        ("trades", "non_positive_price"),
        ("trades", "non_positive_size"),
        ("trades", "duplicate_event"),
        ("trades", "during_trading_halt"),
        ("quotes", "missing_symbol"),
        ("quotes", "crossed_quote"),
        ("quotes", "non_positive_size"),
        ("quotes", "duplicate_event"),
        ("quotes", "during_trading_halt"),
    }


def test_python_table_model_agrees_with_pandas(spark) -> None:
    trades = _frame(spark, "marts.fct_trades")
    stats = _frame(spark, "marts.fct_spread_stats").set_index("symbol").sort_index()
    spread_bps = (trades["ask_pr"] - trades["bid_pr"]) / trades["mid_pr"] * 1e4
    expected = spread_bps.groupby(trades["symbol"]).mean().sort_index()
    assert list(stats.index) == list(expected.index)
    assert stats["mean_spread_bps"].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-12)
    assert stats["trade_count"].to_dict() == trades.groupby("symbol").size().to_dict()


def test_second_build_reuses_the_metastore_and_gives_identical_tables(warehouse: Warehouse, spark) -> None:
    before = {table: _table_digest(spark, table) for table in MART_TABLES}
    # The ticks domain's models and seeds again; a second build of the other domains is each domain's
    # own test (a second training date, training again, the dev and CI builds). Its data and unit tests
    # are left out: they ran in the first build, on the same tables this test finds unchanged.
    tests = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
    second = warehouse.dbt("build", "--selector", "ticks", *tests)
    assert second.success, second.exception
    after = {table: _table_digest(spark, table) for table in MART_TABLES}
    assert after == before
    # The second run of the incremental Python model, and of the mart over it, merged into the tables.
    for table in ["intermediate.int_ticks__daily_spread", "marts.fct_daily_spread"]:
        history = spark.sql(f"describe history {table}").toPandas()
        assert "MERGE" in set(history["operation"]), table


def test_python_model_failure_names_the_model_and_shows_its_traceback(warehouse: Warehouse, spark) -> None:
    result = warehouse.dbt("run", project_dir=BROKEN_PROJECT)
    assert not result.success
    (failure,) = [r for r in result.result if str(r.status) == "error"]
    assert failure.node.name == "broken_model"
    assert "Python model broken_model (models/broken_model.py) failed" in failure.message
    assert 'File "models/broken_model.py", line 9, in model' in failure.message
    assert "ZeroDivisionError" in failure.message


def test_missing_raw_data_names_the_command_that_creates_it(
    warehouse: Warehouse, spark, tmp_path: Path
) -> None:
    previous = os.environ["CASEBOOK_DATA_DIR"]
    os.environ["CASEBOOK_DATA_DIR"] = str(tmp_path)
    try:
        result = warehouse.dbt("build", "--select", "base_ticks__trades")
    finally:
        os.environ["CASEBOOK_DATA_DIR"] = previous
    assert not result.success
    message = str(result.exception)
    assert "ticks/trades is missing or empty" in message
    assert "casebook data generate" in message


def test_pandas_on_spark_twin_gives_the_same_order_flow_events_as_sql(spark) -> None:
    keys = ["symbol", "event_ts"]
    sql = _frame(spark, "intermediate.int_ticks__order_flow_events").sort_values(keys).reset_index(drop=True)
    twin = _frame(spark, "intermediate.int_ticks__order_flow_events_pandas")
    twin = twin[sql.columns].sort_values(keys).reset_index(drop=True)
    assert len(sql) > 1000
    pd.testing.assert_frame_equal(twin, sql, check_dtype=False)


def test_minute_vwap_equals_pandas_over_regular_session_trades(spark) -> None:
    trades = _frame(spark, "marts.fct_trades")
    local = trades["event_ts"].dt.tz_localize("UTC").dt.tz_convert("America/New_York")
    trades = trades.assign(bucket=local.dt.floor("1min").dt.tz_localize(None))
    in_session = trades[(local.dt.strftime("%H:%M") >= "09:30") & (local.dt.strftime("%H:%M") < "16:00")]
    grouped = in_session.assign(notional=in_session["trade_pr"] * in_session["trade_qty"]).groupby(
        ["symbol", "bucket"]
    )
    expected = (grouped["notional"].sum() / grouped["trade_qty"].sum()).rename("vwap_pr").reset_index()
    bars = _frame(spark, "marts.fct_vwap_1m").rename(columns={"bucket_start_exchange_ts": "bucket"})
    merged = bars.merge(expected, on=["symbol", "bucket"], suffixes=("", "_pandas"), validate="one_to_one")
    assert len(merged) == len(bars) == len(expected)
    assert merged["vwap_pr"].to_numpy() == pytest.approx(merged["vwap_pr_pandas"].to_numpy(), rel=1e-12)


def test_lagged_mean_prices_equal_pandas_time_rolling_windows(spark) -> None:
    features = _frame(spark, "marts.fct_trade_features").sort_values(["symbol", "event_ts", "seq"])
    for window_seconds in (60, 1200):
        expected = (
            features.set_index("event_ts")
            .groupby("symbol")["trade_pr"]
            .rolling(f"{window_seconds}s", closed="left")
            .mean()
            .to_numpy()
        )
        column = f"mean_trade_pr_prev_{window_seconds}s"
        assert features[column].to_numpy() == pytest.approx(expected, rel=1e-12, nan_ok=True)


def test_ofi_anomalies_are_the_tails_of_the_best_scipy_fit(spark) -> None:
    from scipy import stats

    buckets = _frame(spark, "marts.fct_order_flow_imbalance_10s")
    anomalies = _frame(spark, "marts.fct_ofi_anomalies")
    symbol = buckets["symbol"].iloc[0]
    values = buckets.loc[buckets["symbol"] == symbol, "order_flow_imbalance"].to_numpy(dtype=float)
    candidates = {"normal": stats.norm, "student_t": stats.t, "laplace": stats.laplace}
    fits = {name: dist.fit(values) for name, dist in candidates.items()}
    ks = {name: stats.kstest(values, candidates[name].cdf, args=fits[name]).statistic for name in fits}
    best = min(ks, key=ks.get)
    settings = from_project(TicksSettings)  # the build's vars: dbt_project.yml's defaults
    lower = candidates[best].ppf(settings.ofi_anomaly_lower_quantile, *fits[best])
    upper = candidates[best].ppf(settings.ofi_anomaly_upper_quantile, *fits[best])
    flagged = anomalies[anomalies["symbol"] == symbol]
    assert set(flagged["distribution"]) == {best}
    assert len(flagged) == ((values < lower) | (values > upper)).sum() > 0
    assert flagged["lower_bound"].iloc[0] == pytest.approx(lower, rel=1e-9)
