"""The Citi Bike loaders: hand-written files of both layouts, and the real files when present."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from casebook.data.stations import (
    TRIP_ARROW_SCHEMA,
    find_citibike_files,
    ingest_citibike,
    read_citibike_trips,
    read_daily_weather,
)
from pytests.conftest import require_real_data

HEADER = (
    '"tripduration","starttime","stoptime","start station id","start station name",'
    '"start station latitude","start station longitude","end station id","end station name",'
    '"end station latitude","end station longitude","bikeid","usertype","birth year","gender"'
)
SAMPLE = "citibike_trips_sample_20000.csv"
STATION_301 = "citibike_trips_station301_2015-08.csv"
WEATHER = "nyc_daily_weather_openmeteo_2014plus.csv"


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def test_text_timestamps_are_read_as_wall_clock(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "trips_text.csv",
        [
            '3117,8/1/2015 01:19:15,8/1/2015 02:11:12,301,"E 2 St",40.7,-73.9,'
            '349,"Rivington",40.7,-73.9,18070,Subscriber,1986.0,1',
            '690,8/31/2015 23:53:03,9/1/2015 00:04:33,301,"E 2 St",40.7,-73.9,'
            '301,"E 2 St",40.7,-73.9,19699,Customer,,0',
        ],
    )
    trips = read_citibike_trips(path)
    assert list(trips.columns) == TRIP_ARROW_SCHEMA.names
    assert trips["start_local_ts"].tolist() == [
        pd.Timestamp("2015-08-01 01:19:15"),
        pd.Timestamp("2015-08-31 23:53:03"),
    ]
    assert trips["stop_local_ts"].iloc[1] == pd.Timestamp("2015-09-01 00:04:33")
    assert trips["start_station_id"].tolist() == ["301", "301"]
    assert trips["end_station_id"].tolist() == ["349", "301"]
    assert trips["trip_duration_s"].tolist() == [3117, 690]


def test_epoch_milliseconds_are_read_back_in_the_writers_time_zone(tmp_path: Path) -> None:
    # 1372665206000 ms = 2013-07-01 07:53:26 UTC = 00:53:26 in Los Angeles: the New York wall clock.
    path = _write(
        tmp_path / "trips_epoch.csv",
        [
            '554,1372665206000,1372665760000,404,"9 Ave",40.7,-74.0,'
            '404,"9 Ave",40.7,-74.0,15883,"Subscriber",1985,1'
        ],
    )
    trips = read_citibike_trips(path)
    assert trips["start_local_ts"].iloc[0] == pd.Timestamp("2013-07-01 00:53:26")
    assert (trips["stop_local_ts"] - trips["start_local_ts"]).iloc[0] == pd.Timedelta(seconds=554)
    utc = read_citibike_trips(path, epoch_timezone="UTC")
    assert utc["start_local_ts"].iloc[0] == pd.Timestamp("2013-07-01 07:53:26")


def test_daily_weather_is_spread_to_hours_keeping_daily_totals(tmp_path: Path) -> None:
    path = tmp_path / "nyc_daily_weather_openmeteo_x.csv"
    path.write_text(
        "date,temperature_2m_mean,precipitation_sum,rain_sum\n"
        "2015-08-01 04:00:00+00:00,25.5,12.0,12.0\n2015-08-02 04:00:00+00:00,22.0,0.0,0.0\n"
    )
    hourly = read_daily_weather(path)
    assert len(hourly) == 48
    assert hourly["weather_local_ts"].iloc[0] == pd.Timestamp("2015-08-01 00:00")
    assert hourly["weather_local_ts"].iloc[-1] == pd.Timestamp("2015-08-02 23:00")
    assert hourly["precipitation_mm"].iloc[:24].sum() == pytest.approx(12.0)
    assert set(hourly["temperature_c"].iloc[24:]) == {22.0}


@pytest.mark.real_data
def test_real_trip_files_load_with_pandas_counts() -> None:
    folder = require_real_data("citibike")
    for name, expected_first in ((SAMPLE, "2013-07-01 00:53:26"), (STATION_301, "2015-08-01 01:19:15")):
        direct = pd.read_csv(folder / name)
        trips = read_citibike_trips(folder / name)
        assert len(trips) == len(direct)
        assert trips["start_local_ts"].min() == pd.Timestamp(expected_first)
        assert trips.groupby("start_station_id").size().sort_index().tolist() == (
            direct.groupby(direct["start station id"].astype(str)).size().sort_index().tolist()
        )
        duration = (trips["stop_local_ts"] - trips["start_local_ts"]).dt.total_seconds()
        # the files' own durations agree with their times (text stamps: to the second)
        assert np.abs(duration - trips["trip_duration_s"].astype(float)).max() <= 1
    sample = read_citibike_trips(folder / SAMPLE)
    assert sample["start_station_id"].nunique() == 332
    # New York commuting: the wall-clock hours with most weekday starts are 8 and 17-18
    weekday = sample[sample["start_local_ts"].dt.dayofweek < 5]["start_local_ts"].dt.hour.value_counts()
    assert set(weekday.index[:3]) <= {8, 9, 17, 18, 19}


@pytest.mark.real_data
def test_real_folder_ingests_trips_and_hourly_weather(tmp_path: Path) -> None:
    folder = require_real_data("citibike")
    trip_files, weather_file = find_citibike_files(folder / STATION_301)
    assert trip_files == [folder / STATION_301] and weather_file == folder / WEATHER
    counts = ingest_citibike(argparse.Namespace(path=folder / STATION_301), tmp_path)
    daily = pd.read_csv(folder / WEATHER)
    assert counts == {"trips": len(pd.read_csv(folder / STATION_301)), "weather": 24 * len(daily)}
    weather = pq.read_table(tmp_path / "stations" / "weather").to_pandas()
    assert weather["precipitation_mm"].sum() == pytest.approx(daily["precipitation_sum"].sum())


def test_the_cli_finds_the_citibike_ingester_and_the_stations_generator() -> None:
    from casebook.data.registry import generator, ingester
    from casebook.data.stations import write_stations

    domain, land = ingester("citibike")
    assert (domain, land) == ("stations", ingest_citibike)
    assert generator("stations") is write_stations
