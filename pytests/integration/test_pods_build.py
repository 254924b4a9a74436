"""The pods lineage of the tiny warehouse, checked against plain pandas computed from the raw data.

The oracle re-applies the staging rules to the generated readings in pandas, then computes each
trip's time, trapezoid-rule distance and speeds with numpy, and describe()'s statistics with numpy
(quartiles by the inverted empirical CDF, which is what Spark's percentile_approx returns exactly
below 10,000 values). Both the pandas-on-Spark marts and the SQL twin must equal it.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from dbt.cli.main import dbtRunnerResult

from casebook.data.pods import generate_pods
from pytests.integration.conftest import SEED  # the seed the tiny raw data was generated with

pytestmark = pytest.mark.integration

TRIP_KEYS = ["pod_id", "trip_id"]
MEASURES = ["trip_seconds", "distance_miles", "avg_speed_mph", "avg_speed_kmh", "max_speed_mph"]
MODELS = [
    "int_pods__trip_stats_pandas",
    "int_pods__trip_stats_summary_pandas",
    "int_pods__trip_stats",
    "int_pods__trip_stats_summary",
    "fct_pod_trips",
    "fct_pod_trip_summary",
]


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The raw tiny readings (as the warehouse fixture wrote them), each with its expected reason."""
    frame = generate_pods("tiny", SEED)
    reason = pd.Series(None, index=frame.index, dtype=object)
    rules = {
        "missing_key": frame["pod_id"].isna() | frame["trip_id"].isna(),
        "missing_event_ts": frame["event_ts"].isna(),
        "missing_speed": frame["speed_mph"].isna(),
        "negative_speed": frame["speed_mph"] < 0,
    }
    for name, broken in rules.items():
        reason = reason.where(reason.notna() | ~broken, name)
    usable = frame[reason.isna()].sort_values("speed_mph", ascending=False, kind="stable")
    reason[usable.index[usable.duplicated(["pod_id", "trip_id", "event_ts"])]] = "duplicate_reading"
    return frame.assign(reason=reason)


@pytest.fixture(scope="module")
def oracle_trips(raw: pd.DataFrame) -> pd.DataFrame:
    """Per trip, in plain pandas and numpy: duration, trapezoid distance, average and top speed."""
    rows = []
    for (pod_id, trip_id), trip in raw[raw["reason"].isna()].groupby(TRIP_KEYS):
        trip = trip.sort_values("event_ts")
        seconds = (trip["event_ts"] - trip["event_ts"].iloc[0]).dt.total_seconds().to_numpy()
        distance = np.trapezoid(trip["speed_mph"].to_numpy(), seconds) / 3600.0
        duration = seconds[-1]
        rows.append(
            {
                "pod_id": pod_id,
                "trip_id": trip_id,
                "trip_start_ts": trip["event_ts"].iloc[0],
                "trip_end_ts": trip["event_ts"].iloc[-1],
                "reading_count": len(trip),
                "trip_seconds": duration,
                "distance_miles": distance,
                "avg_speed_mph": distance / (duration / 3600.0),
                "avg_speed_kmh": distance / (duration / 3600.0) * 1.609344,
                "max_speed_mph": trip["speed_mph"].max(),
            }
        )
    return pd.DataFrame(rows).sort_values(TRIP_KEYS).reset_index(drop=True)


def _frame(spark, table: str, keys: list[str]) -> pd.DataFrame:
    return spark.table(table).toPandas().sort_values(keys).reset_index(drop=True)


def test_pods_models_and_their_tests_succeed(first_build: dbtRunnerResult) -> None:
    # An exposure is a document, not a query: dbt build reports it as no-op.
    statuses = {r.node.name: str(r.status) for r in first_build.result if r.node.resource_type != "exposure"}
    assert all(statuses[model] == "success" for model in MODELS), statuses
    pods = {name: status for name, status in statuses.items() if "pod" in name}
    assert statuses["assert_pod_trip_stats_match_sql_twin"] == "pass"
    assert statuses["assert_pod_trip_summary_matches_sql_twin"] == "pass"
    assert set(pods.values()) <= {"success", "pass"}, pods


def test_every_raw_reading_is_staged_or_quarantined_with_the_oracles_reason(spark, raw) -> None:
    quarantine = spark.table("staging.stg_pods__quarantined_readings").toPandas()
    assert Counter(quarantine["quarantine_reason"]) == Counter(raw["reason"].dropna())
    assert set(quarantine["quarantine_reason"]) == {
        "missing_key",
        "missing_event_ts",
        "missing_speed",
        "negative_speed",
        "duplicate_reading",
    }
    assert spark.table("staging.stg_pods__telemetry").count() == raw["reason"].isna().sum()


@pytest.mark.parametrize("table", ["marts.fct_pod_trips", "intermediate.int_pods__trip_stats"])
def test_trip_statistics_equal_the_pandas_oracle(spark, oracle_trips, table) -> None:
    actual = _frame(spark, table, TRIP_KEYS)
    assert len(actual) == len(oracle_trips) == 12
    assert actual[TRIP_KEYS].values.tolist() == oracle_trips[TRIP_KEYS].values.tolist()
    assert actual["reading_count"].tolist() == oracle_trips["reading_count"].tolist()
    for column in ["trip_start_ts", "trip_end_ts"]:
        assert (
            pd.to_datetime(actual[column]).dt.tz_localize(None) == oracle_trips[column].dt.tz_localize(None)
        ).all()
    for measure in MEASURES:
        np.testing.assert_allclose(actual[measure], oracle_trips[measure], rtol=1e-9, err_msg=measure)
    assert (actual["distance_miles"] > 0.05).all()  # every trip moves


def test_trip_summary_equals_describe_on_the_oracle(spark, oracle_trips) -> None:
    summary = spark.table("marts.fct_pod_trip_summary").toPandas().set_index("metric_name")
    assert sorted(summary.index) == sorted(MEASURES)
    for measure in MEASURES:
        values = oracle_trips[measure].to_numpy()
        described = oracle_trips[measure].describe()
        row = summary.loc[measure]
        assert row["trip_count"] == described["count"] == 12
        for statistic, column in [
            ("mean", "mean_value"),
            ("std", "std_value"),
            ("min", "min_value"),
            ("max", "max_value"),
        ]:
            assert row[column] == pytest.approx(described[statistic], rel=1e-9), (measure, statistic)
        for level, column in [(0.25, "p25_value"), (0.5, "p50_value"), (0.75, "p75_value")]:
            expected = np.quantile(values, level, method="inverted_cdf")
            assert row[column] == pytest.approx(expected, rel=1e-9), (measure, level)
