"""The Citi Bike loaders: hand-written files of both layouts, and the real files when present."""

from __future__ import annotations

import os
import subprocess
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
from pytests.conftest import REPO_ROOT, VENV_BIN, require_real_data

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
    counts = ingest_citibike(folder / STATION_301, tmp_path)
    daily = pd.read_csv(folder / WEATHER)
    assert counts == {"trips": len(pd.read_csv(folder / STATION_301)), "weather": 24 * len(daily)}
    weather = pq.read_table(tmp_path / "stations" / "weather").to_pandas()
    assert weather["precipitation_mm"].sum() == pytest.approx(daily["precipitation_sum"].sum())


def _trip(start: str, stop: str) -> str:
    return f'600,{start},{stop},301,"E 2 St",40.7,-73.9,349,"Rivington",40.7,-73.9,18070,Subscriber,1986.0,1'


def test_files_that_follow_one_another_are_merged(tmp_path: Path) -> None:
    # July's file and two of August (one starting within its day), in any order of names
    _write(
        tmp_path / "a_trips.csv",
        [_trip("7/1/2015 08:00:00", "7/1/2015 08:10:00"), _trip("7/31/2015 22:00:00", "7/31/2015 22:10:00")],
    )
    _write(tmp_path / "c_trips.csv", [_trip("8/1/2015 00:20:00", "8/1/2015 00:30:00")])
    _write(tmp_path / "b_trips.csv", [_trip("8/1/2015 20:50:00", "8/1/2015 21:00:00")])
    counts = ingest_citibike(tmp_path, tmp_path / "raw")
    assert counts == {"trips": 4, "weather": 0}


def test_files_of_different_periods_are_refused_with_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from casebook.cli import main

    trips = tmp_path / "trips"
    trips.mkdir()
    _write(trips / "a_trips.csv", [_trip("7/1/2013 08:00:00", "7/1/2013 08:10:00")])
    _write(trips / "b_trips.csv", [_trip("8/1/2015 01:19:15", "8/1/2015 02:11:12")])
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CASEBOOK_PROJECT_DIR", str(REPO_ROOT))
    assert main(["data", "ingest", "citibike", str(trips)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "b_trips.csv starts 2015-08-01 but a_trips.csv ends 2013-07-01" in line
    assert "ingest one period at a time" in line
    assert not (tmp_path / "data" / "raw" / "stations").exists()  # nothing written


@pytest.mark.real_data
def test_the_shared_folder_of_two_periods_is_refused_by_the_cli(tmp_path: Path) -> None:
    folder = require_real_data("citibike")
    result = subprocess.run(
        [str(VENV_BIN / "casebook"), "data", "ingest", "citibike", str(folder)],
        env={**os.environ, "CASEBOOK_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"{STATION_301} starts 2015-08-01 but {SAMPLE} ends 2014-" in lines[0]
    assert not (tmp_path / "raw" / "stations").exists()


def test_the_cli_finds_the_citibike_ingester_and_the_stations_generator() -> None:
    from casebook.data.registry import generator, ingester
    from casebook.data.stations import write_stations

    domain, land = ingester("citibike")
    assert (domain, land) == ("stations", ingest_citibike)
    assert generator("stations") is write_stations
