"""The stations lineage of the tiny warehouse, checked against pandas, scikit-learn, Prophet and MLflow.

The oracle re-applies the staging rules and zero-filling to the generated raw frames in pandas
(pytests/stations/reference.py), re-runs every station's bake-off outside Spark, and scores it with
scikit-learn; the warehouse must agree exactly.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from dbt.cli.main import dbtRunnerResult
from sklearn.metrics import root_mean_squared_error

from casebook import tracking
from casebook.data.stations import LAST_HOUR, generate_stations
from casebook.settings import from_project
from casebook.stations.bakeoff import MODELS, forecast_station
from casebook.stations.metrics import mape_pct
from casebook.stations.settings import StationsSettings
from pytests.integration.conftest import SEED, Warehouse
from pytests.stations.reference import hourly_demand, trip_reasons, weather_reasons

pytestmark = pytest.mark.integration

SETTINGS = from_project(StationsSettings)  # the build's vars: dbt_project.yml's defaults
TOP_N = SETTINGS.top_n
HORIZON_HOURS = SETTINGS.horizon_hours
HISTORY_DAYS = SETTINGS.history_days
EXPERIMENT = SETTINGS.mlflow_experiment
MODEL_NODES = [
    "int_stations__top_stations",
    "int_stations__hourly_demand",
    "int_stations__forecasts",
    "int_stations__model_scores",
    "fct_stations_forecasts",
    "fct_stations_bakeoff",
    "fct_stations_model_summary",
    "int_stations__bakeoff_runs",
    "fct_stations_bakeoff_runs",
]


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    return generate_stations("tiny", SEED)


@pytest.fixture(scope="module")
def demand(raw) -> pd.DataFrame:
    return hourly_demand(raw, top_n=TOP_N).sort_values(["station_id", "hour_ts"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def forecasts(spark) -> pd.DataFrame:
    frame = spark.table("marts.fct_stations_forecasts").toPandas()
    return frame.sort_values(["station_id", "model_name", "hour_ts"]).reset_index(drop=True)


def test_stations_models_and_their_tests_succeed(first_build: dbtRunnerResult, warehouse: Warehouse) -> None:
    statuses = {r.node.name: str(r.status) for r in first_build.result}
    assert all(statuses[model] == "success" for model in MODEL_NODES), statuses
    stations = {name: status for name, status in statuses.items() if "stations" in name}
    # Every model of the domain has tests; every data test and unit test declared on them ran, and passed.
    tests = warehouse.statuses_of_tests_on_models_named(first_build, "stations")
    assert tests and set(tests.values()) == {"pass"}, tests
    assert set(stations.values()) <= {"success", "pass"}, stations


def test_every_raw_row_is_staged_or_quarantined_with_the_oracles_reason(spark, raw) -> None:
    quarantine = spark.table("staging.stg_stations__quarantined_records").toPandas()
    actual = Counter(zip(quarantine["source_table"], quarantine["quarantine_reason"], strict=True))
    expected = Counter(("trips", r) for r in trip_reasons(raw["trips"]).dropna()) + Counter(
        ("weather", r) for r in weather_reasons(raw["weather"]).dropna()
    )
    assert actual == expected
    assert len(expected) == 7
    assert spark.table("staging.stg_stations__trips").count() == trip_reasons(raw["trips"]).isna().sum()


def test_hourly_demand_is_the_zero_filled_pandas_count(spark, demand) -> None:
    warehouse = spark.table("intermediate.int_stations__hourly_demand").toPandas()
    warehouse = warehouse.sort_values(["station_id", "hour_ts"]).reset_index(drop=True)
    assert len(warehouse) == len(demand) > 5 * 99 * 24  # 5 stations x about 100 days of hours
    pd.testing.assert_frame_equal(warehouse, demand, check_dtype=False)
    assert (warehouse["actual_trips"] == 0).sum() > 0.15 * len(warehouse)


def test_forecasts_equal_the_bakeoff_run_outside_spark(forecasts, demand) -> None:
    settings = SETTINGS.bakeoff(LAST_HOUR - timedelta(hours=HORIZON_HOURS - 1))
    expected = pd.concat([forecast_station(rows, settings) for _, rows in demand.groupby("station_id")])
    expected = expected.sort_values(["station_id", "model_name", "hour_ts"]).reset_index(drop=True)
    assert expected["skip_reason"].isna().all()  # every tiny station is scored
    expected = expected.drop(columns="skip_reason")
    assert len(forecasts) == 5 * len(MODELS) * HORIZON_HOURS
    pd.testing.assert_frame_equal(
        forecasts[list(expected.columns)], expected, check_dtype=False, rtol=1e-9, atol=1e-9
    )
    assert forecasts["error_trips"].to_numpy() == pytest.approx(
        (forecasts["predicted_trips"] - forecasts["actual_trips"]).to_numpy()
    )


def test_bakeoff_scores_and_winners_match_scikit_learn(spark, forecasts) -> None:
    bakeoff = spark.table("marts.fct_stations_bakeoff").toPandas().set_index("station_id").sort_index()
    # every tiny station has trips in both windows, and no two models score exactly alike
    assert bakeoff["is_scored"].all() and bakeoff["skip_reason"].isna().all()
    assert not bakeoff["is_tie"].any()
    for station_id, own in forecasts.groupby("station_id"):
        row = bakeoff.loc[station_id]
        scores = {}
        for model_name, rows in own.groupby("model_name"):
            scores[model_name] = root_mean_squared_error(rows["actual_trips"], rows["predicted_trips"])
            assert row[f"{model_name}_rmse"] == pytest.approx(scores[model_name])
            assert row[f"{model_name}_mape_pct"] == pytest.approx(
                mape_pct(rows["actual_trips"], rows["predicted_trips"])
            )
        assert row["winning_model_name"] == min(scores, key=scores.get)
        assert row["is_winner_weather_aware"] == row["winning_model_name"].endswith("_weather")

    summary = spark.table("marts.fct_stations_model_summary").toPandas().set_index("model_name")
    assert sorted(summary.index) == sorted(MODELS)
    wins = bakeoff["winning_model_name"].value_counts()
    for model_name, rows in forecasts.groupby("model_name"):
        assert summary.loc[model_name, "overall_rmse"] == pytest.approx(
            root_mean_squared_error(rows["actual_trips"], rows["predicted_trips"])
        )
        assert summary.loc[model_name, "win_count"] == wins.get(model_name, 0)
    assert summary["win_count"].sum() == len(bakeoff) == 5
    assert (summary["tie_count"] == 0).all() and (summary["station_count"] == 5).all()


def test_one_mlflow_run_logs_the_bakeoff(spark) -> None:
    run_row = spark.table("marts.fct_stations_bakeoff_runs").toPandas()
    assert len(run_row) == 1
    summary = spark.table("marts.fct_stations_model_summary").toPandas().set_index("model_name")
    run = tracking.client().get_run(run_row["mlflow_run_id"].iloc[0])
    assert run.info.experiment_id == tracking.experiment(EXPERIMENT)
    assert run.data.params["horizon_hours"] == str(HORIZON_HOURS)
    assert run.data.params["winner_metric"] == "rmse"
    for model_name in MODELS:
        assert run.data.metrics[f"rmse_{model_name}"] == pytest.approx(
            summary.loc[model_name, "overall_rmse"]
        )
        assert run.data.metrics[f"wins_{model_name}"] == summary.loc[model_name, "win_count"]
    weather_wins = summary.loc[summary["is_weather_aware"], "win_count"].sum()
    assert run_row["weather_aware_win_share"].iloc[0] == pytest.approx(weather_wins / 5)
    assert run.data.tags["best_model_name"] == summary["overall_rmse"].idxmin()
    artifacts = [item.path for item in tracking.client().list_artifacts(run.info.run_id)]
    assert artifacts == ["stations_bakeoff.csv"]
    assert np.isfinite(run.data.metrics["weather_aware_win_share"])
