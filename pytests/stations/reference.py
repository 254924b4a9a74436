"""A pandas oracle of the stations staging rules and the zero-filled hourly demand, written from the
docs (not from the SQL): used by the generator, bake-off and warehouse tests."""

from __future__ import annotations

import pandas as pd


def trip_reasons(trips: pd.DataFrame) -> pd.Series:
    """Each raw trip's quarantine reason (None when usable)."""
    reason = pd.Series(None, index=trips.index, dtype=object)
    missing = trips["start_local_ts"].isna() | trips["start_station_id"].isna()
    reason[missing] = "missing_key"
    reversed_times = reason.isna() & (trips["stop_local_ts"] < trips["start_local_ts"])
    reason[reversed_times] = "stop_before_start"
    usable = trips[reason.isna()].sort_values(["start_station_id", "stop_local_ts"], kind="stable")
    repeated = usable.duplicated(["bike_id", "start_local_ts"]) & usable["bike_id"].notna()
    reason[usable.index[repeated]] = "duplicate_record"
    return reason


def weather_reasons(weather: pd.DataFrame) -> pd.Series:
    """Each raw weather row's quarantine reason (None when usable)."""
    reason = pd.Series(None, index=weather.index, dtype=object)
    rules = {
        "missing_hour": weather["weather_local_ts"].isna(),
        "missing_measure": weather["temperature_c"].isna() | weather["precipitation_mm"].isna(),
        "impossible_temperature": (weather["temperature_c"] < -60) | (weather["temperature_c"] > 60),
        "negative_precipitation": weather["precipitation_mm"] < 0,
    }
    for name, broken in rules.items():
        reason = reason.where(reason.notna() | ~broken.fillna(False), name)
    usable = weather[reason.isna()].assign(hour=lambda f: f["weather_local_ts"].dt.floor("h"))
    usable = usable.sort_values(["weather_local_ts", "temperature_c", "precipitation_mm"], kind="stable")
    reason[usable.index[usable.duplicated("hour")]] = "duplicate_record"
    return reason


def hourly_demand(raw: dict[str, pd.DataFrame], top_n: int) -> pd.DataFrame:
    """station_id, hour_ts, actual_trips, temperature_c, precipitation_mm for the top_n busiest stations,
    every hour from the station's own first trip hour to the last trip hour of the data (zero-filled)."""
    trips = raw["trips"][trip_reasons(raw["trips"]).isna()]
    weather = raw["weather"][weather_reasons(raw["weather"]).isna()]
    counts = trips.groupby("start_station_id").size().reset_index(name="n")
    top = counts.sort_values(["n", "start_station_id"], ascending=[False, True]).head(top_n)
    last_hour = trips["start_local_ts"].max().floor("h")
    frames = []
    for station_id in top["start_station_id"]:
        own = (
            trips.loc[trips["start_station_id"] == station_id, "start_local_ts"].dt.floor("h").value_counts()
        )
        hours = pd.date_range(own.index.min(), last_hour, freq="h")
        frames.append(
            pd.DataFrame(
                {
                    "station_id": station_id,
                    "hour_ts": hours,
                    "actual_trips": own.reindex(hours, fill_value=0).to_numpy(),
                }
            )
        )
    demand = pd.concat(frames, ignore_index=True)
    readings = weather.assign(hour_ts=weather["weather_local_ts"].dt.floor("h"))[
        ["hour_ts", "temperature_c", "precipitation_mm"]
    ]
    return demand.merge(readings, on="hour_ts", how="left")
