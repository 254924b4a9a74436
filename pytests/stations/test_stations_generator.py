"""The stations generator: deterministic, scale-aware, with the demand patterns and bad rows it promises."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from casebook.data.stations import LAST_HOUR, SCALES, generate_stations, write_stations
from pytests.stations.reference import hourly_demand, trip_reasons, weather_reasons


@pytest.fixture(scope="module")
def tiny() -> dict[str, pd.DataFrame]:
    return generate_stations("tiny", 42)


@pytest.fixture(scope="module")
def demand(tiny: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Zero-filled hourly demand of every tiny station, with weather and calendar columns."""
    frame = hourly_demand(tiny, top_n=100)
    return frame.assign(hour=frame["hour_ts"].dt.hour, weekday=frame["hour_ts"].dt.dayofweek)


def test_same_seed_same_rows_and_another_seed_differs(tiny: dict[str, pd.DataFrame]) -> None:
    again = generate_stations("tiny", 42)
    for table in ("trips", "weather"):
        pd.testing.assert_frame_equal(tiny[table], again[table])
    assert not generate_stations("tiny", 7)["trips"]["start_local_ts"].equals(tiny["trips"]["start_local_ts"])


def test_scales_and_station_subsets(tiny: dict[str, pd.DataFrame]) -> None:
    assert tiny["trips"]["start_station_id"].dropna().nunique() == SCALES["tiny"].stations
    first = generate_stations("small", 42, stations=2)["trips"]
    assert sorted(first["start_station_id"].dropna().unique()) == ["S0001", "S0002"]
    assert first["start_local_ts"].max() < pd.Timestamp(LAST_HOUR) + pd.Timedelta(hours=1)
    assert first["start_local_ts"].min() >= pd.Timestamp(LAST_HOUR) - pd.Timedelta(days=365)
    with pytest.raises(
        ValueError, match="Unknown stations scale 'huge': expected one of tiny, small, medium, large"
    ):
        generate_stations("huge", 1)


def test_written_files_round_trip_with_wall_clock_times(tmp_path, tiny: dict[str, pd.DataFrame]) -> None:
    counts = write_stations(tmp_path, "tiny", 42)
    assert counts == {"trips": len(tiny["trips"]), "weather": len(tiny["weather"])}
    trips = pq.read_table(tmp_path / "stations" / "trips")
    assert trips.num_rows == counts["trips"]
    assert trips.schema.field("start_local_ts").type.tz is None  # wall clock, not a UTC instant


def test_every_bad_row_kind_is_injected(tiny: dict[str, pd.DataFrame]) -> None:
    trips = Counter(trip_reasons(tiny["trips"]).dropna())
    weather = Counter(weather_reasons(tiny["weather"]).dropna())
    assert set(trips) == {"missing_key", "stop_before_start", "duplicate_record"}
    assert set(weather) == {
        "missing_hour",
        "impossible_temperature",
        "negative_precipitation",
        "duplicate_record",
    }
    assert sum(trips.values()) < 0.01 * len(tiny["trips"])


def test_demand_is_zero_heavy_with_weekday_commuting_peaks(demand: pd.DataFrame) -> None:
    # tiny is summer, the busiest season: still one station-hour in seven is empty, most night hours are
    assert (demand["actual_trips"] == 0).mean() > 0.15
    assert (demand.loc[demand["hour"].between(1, 5), "actual_trips"] == 0).mean() > 0.6
    weekday = demand[demand["weekday"] < 5].groupby("hour")["actual_trips"].mean()
    weekend = demand[demand["weekday"] >= 5].groupby("hour")["actual_trips"].mean()
    assert weekday.idxmax() in {8, 17, 18}
    assert weekday[8] > 2 * weekday[12] and weekday[17] > 1.5 * weekday[12]
    assert 11 <= weekend.idxmax() <= 16
    assert weekday[3] < 0.1 * weekday.max()


def test_rain_and_cold_cut_demand(demand: pd.DataFrame) -> None:
    # Same hours of the day, compared within each station: rainy hours have far fewer trips.
    daytime = demand[demand["hour"].between(7, 20)]
    rainy = daytime[daytime["precipitation_mm"] >= 1].groupby("station_id")["actual_trips"].mean()
    dry = daytime[daytime["precipitation_mm"] == 0].groupby("station_id")["actual_trips"].mean()
    assert (rainy < 0.6 * dry).all()
    warm = daytime[daytime["temperature_c"] > daytime["temperature_c"].median()]
    cold = daytime[daytime["temperature_c"] <= daytime["temperature_c"].median()]
    assert warm["actual_trips"].mean() > 1.15 * cold["actual_trips"].mean()


def test_the_default_horizon_holds_a_rain_spell(tiny: dict[str, pd.DataFrame]) -> None:
    weather = tiny["weather"].dropna(subset=["weather_local_ts"])
    horizon = weather[weather["weather_local_ts"] > pd.Timestamp(LAST_HOUR) - pd.Timedelta(hours=36)]
    assert (horizon["precipitation_mm"] > 0).sum() >= 9
    assert np.isclose((tiny["weather"]["precipitation_mm"] > 0).mean(), 0.09, atol=0.05)
