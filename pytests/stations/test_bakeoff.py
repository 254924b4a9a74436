"""The per-station bake-off against Prophet and scikit-learn called directly, and the chapter's claim:
where weather drives demand, weather-aware models win most stations."""

from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import timedelta
from functools import partial

import holidays
import numpy as np
import pandas as pd
import pytest
from prophet import Prophet
from sklearn.ensemble import RandomForestRegressor

from casebook.data.stations import LAST_HOUR, generate_stations
from casebook.settings import from_project
from casebook.stations.bakeoff import MODELS, forecast_station
from casebook.stations.metrics import rmse
from casebook.stations.settings import StationsSettings
from pytests.stations.reference import hourly_demand

PROJECT = from_project(StationsSettings)  # dbt_project.yml's defaults
HORIZON = PROJECT.horizon_hours
SETTINGS = replace(
    PROJECT.bakeoff(LAST_HOUR - timedelta(hours=HORIZON - 1)), history_days=60, trees=50
)  # quicker fits
SHARE_STATIONS = 30  # the first stations of the default scale: a sample whose win share is stable
MIN_WEATHER_SHARE = 0.7


@pytest.fixture(scope="module")
def station() -> pd.DataFrame:
    demand = hourly_demand(generate_stations("tiny", 42), top_n=1)
    return demand[demand["hour_ts"] >= SETTINGS.history_start].reset_index(drop=True)


@pytest.fixture(scope="module")
def forecast(station: pd.DataFrame) -> pd.DataFrame:
    return forecast_station(station, SETTINGS)


def _split(station: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    start = pd.Timestamp(SETTINGS.forecast_start)
    return station[station["hour_ts"] < start], station[station["hour_ts"] >= start]


def test_every_model_forecasts_the_horizon_from_the_history_window(forecast: pd.DataFrame) -> None:
    assert sorted(forecast["model_name"].unique()) == sorted(MODELS)
    assert (
        forecast.groupby("model_name")["horizon_step"]
        .apply(list)
        .map(lambda s: s == list(range(1, 37)))
        .all()
    )
    assert set(forecast["history_hours"]) == {SETTINGS.history_days * 24}
    assert forecast["hour_ts"].min() == pd.Timestamp(SETTINGS.forecast_start)
    assert forecast["hour_ts"].max() == pd.Timestamp(LAST_HOUR)
    assert (forecast["predicted_trips"] >= 0).all()


def test_random_forests_equal_scikit_learn_called_directly(station, forecast) -> None:
    history, horizon = _split(station)
    calendar = holidays.country_holidays("US", years=[2024])

    def features(rows: pd.DataFrame, weather: bool) -> np.ndarray:
        ts = rows["hour_ts"]
        columns = [
            ts.dt.year,
            ts.dt.month,
            ts.dt.weekday,
            ts.dt.hour,
            ts.map(lambda t: int(t.date() in calendar)),
        ]
        if weather:
            columns += [rows["temperature_c"], rows["precipitation_mm"]]
        return np.column_stack(columns)

    for name, weather in (("random_forest", False), ("random_forest_weather", True)):
        forest = RandomForestRegressor(n_estimators=50, random_state=42, n_jobs=1)
        forest.fit(features(history, weather), history["actual_trips"])
        expected = np.clip(forest.predict(features(horizon, weather)), 0, None)
        actual = forecast.loc[forecast["model_name"] == name, "predicted_trips"].to_numpy()
        np.testing.assert_allclose(actual, expected)


def test_prophet_with_weather_equals_prophet_called_directly(station, forecast) -> None:
    logging.getLogger("cmdstanpy").setLevel(logging.WARNING)
    history, horizon = _split(station)
    model = Prophet(
        yearly_seasonality=True, weekly_seasonality=True, daily_seasonality=True, uncertainty_samples=200
    )
    model.add_country_holidays(country_name="US")
    model.add_regressor("temperature_c")
    model.add_regressor("precipitation_mm")
    model.fit(history.rename(columns={"hour_ts": "ds", "actual_trips": "y"}).drop(columns="station_id"))
    np.random.seed(42)
    expected = model.predict(
        horizon.rename(columns={"hour_ts": "ds"})[["ds", "temperature_c", "precipitation_mm"]]
    )
    ours = forecast[forecast["model_name"] == "prophet_weather"]
    np.testing.assert_allclose(
        ours["predicted_trips"], np.clip(expected["yhat"], 0, None), rtol=1e-6, atol=1e-6
    )
    np.testing.assert_allclose(
        ours["predicted_upper_trips"], np.clip(expected["yhat_upper"], 0, None), rtol=1e-6
    )


def test_forecasts_reproduce_exactly(station, forecast) -> None:
    pd.testing.assert_frame_equal(forecast_station(station, SETTINGS), forecast)


def test_weather_aware_models_win_most_stations_where_weather_drives_demand() -> None:
    # The default scale's first stations, default history, winner by RMSE (the marts' rule).
    demand = hourly_demand(generate_stations("small", 42, stations=SHARE_STATIONS), top_n=SHARE_STATIONS)
    settings = PROJECT.bakeoff(SETTINGS.forecast_start)
    stations = [rows for _, rows in demand[demand["hour_ts"] >= settings.history_start].groupby("station_id")]
    with ProcessPoolExecutor(max_workers=2) as pool:  # the stations are independent, as on Spark
        forecasts = list(pool.map(partial(forecast_station, settings=settings), stations))
    winners = []
    for forecast in forecasts:
        scores = {
            name: rmse(own["actual_trips"], own["predicted_trips"])
            for name, own in forecast.groupby("model_name")
        }
        winners.append(min(sorted(scores), key=scores.get))
    share = np.mean([name.endswith("_weather") for name in winners])
    assert len(winners) == SHARE_STATIONS
    assert share >= MIN_WEATHER_SHARE, pd.Series(winners).value_counts()


@pytest.mark.parametrize(
    ("emptied", "reason"),
    [
        ("horizon", "no trips in the scoring window"),
        ("history", "no trips in the training window"),
    ],
)
def test_a_station_without_trips_in_a_window_is_skipped_with_a_reason(station, emptied, reason) -> None:
    history, horizon = _split(station)
    quiet = (horizon if emptied == "horizon" else history).assign(actual_trips=0)
    rows = pd.concat([history, quiet] if emptied == "horizon" else [quiet, horizon], ignore_index=True)
    skipped = forecast_station(rows, SETTINGS)
    assert len(skipped) == 1  # no model was fitted, nothing is scored
    (row,) = skipped.itertuples(index=False)
    assert row.station_id == station["station_id"].iloc[0]
    assert row.skip_reason.startswith(reason) and row.skip_reason.endswith("(not scored)")
    assert pd.isna(row.model_name) and pd.isna(row.predicted_trips)
    assert row.forecast_start_ts == pd.Timestamp(SETTINGS.forecast_start)


def test_scored_stations_have_no_skip_reason(forecast) -> None:
    assert forecast["skip_reason"].isna().all()
    assert forecast["model_name"].notna().all()
