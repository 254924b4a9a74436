"""Stations bake-off benchmark: fits per second per core for each model type of int_stations__forecasts.

    .venv/bin/python benchmarks/stations_fits.py [--stations 12] [--history-days 90 365] [--seed 42]

Steps:
  1. The first --stations stations of the default scale (`small`) are generated in memory and
     their hourly demand is zero-filled with pandas (clean rows only).
  2. For each --history-days, every station's four models are fitted and forecast (36 hours) in
     this one process, one model at a time, exactly as the Python model does per station
     (casebook.stations.bakeoff.fit_prophet / fit_random_forest, 100 trees, n_jobs=1). Each fit +
     forecast is timed with a wall clock and in CPU seconds of this process plus its children
     (Prophet runs Stan's optimiser as a child process); fits per second per core = 1 / median CPU
     seconds of one fit, which holds up on a shared machine where wall time does not.
  3. A markdown table is printed and benchmarks/results/stations_fits.json written.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from _common import RESULTS_DIR, load_average, machine_info
from casebook.data.stations import LAST_HOUR, generate_stations
from casebook.settings import from_project
from casebook.stations.bakeoff import MODELS, BakeoffSettings, fit_prophet, fit_random_forest, split_window
from casebook.stations.settings import StationsSettings

PROJECT = from_project(StationsSettings, Path(__file__).resolve().parents[1])  # dbt_project.yml's vars
PACKAGES = ("prophet", "cmdstanpy", "scikit-learn", "pandas", "numpy", "holidays")


def station_demand(stations: int, seed: int) -> dict[str, pd.DataFrame]:
    """Each station's zero-filled hourly demand with weather (clean generated rows only)."""
    raw = generate_stations("small", seed, stations=stations)
    trips = raw["trips"].dropna(subset=["start_local_ts", "start_station_id"])
    trips = trips[trips["stop_local_ts"] >= trips["start_local_ts"]].drop_duplicates(
        ["bike_id", "start_local_ts"]
    )
    weather = raw["weather"].dropna(subset=["weather_local_ts"])
    weather = weather[(weather["temperature_c"] < 60) & (weather["precipitation_mm"] >= 0)]
    weather = weather.drop_duplicates("weather_local_ts").rename(columns={"weather_local_ts": "hour_ts"})
    hours = pd.date_range(trips["start_local_ts"].min().floor("h"), LAST_HOUR, freq="h")
    frames = {}
    for station_id, own in trips.groupby("start_station_id"):
        counts = own["start_local_ts"].dt.floor("h").value_counts().reindex(hours, fill_value=0)
        frame = pd.DataFrame({"station_id": station_id, "hour_ts": hours, "actual_trips": counts.to_numpy()})
        frames[station_id] = frame.merge(weather, on="hour_ts", how="left")
    return frames


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (Prophet's Stan optimiser is a child)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def time_fits(demand: dict[str, pd.DataFrame], settings: BakeoffSettings) -> dict[str, dict[str, float]]:
    """Per model type: median wall and CPU seconds of one fit + 36-hour forecast, and fits/s/core."""
    seconds: dict[str, list[tuple[float, float]]] = {name: [] for name in MODELS}
    for rows in demand.values():
        history, horizon = split_window(rows, settings)
        for name in MODELS:
            weather = name.endswith("_weather")
            fit = fit_prophet if name.startswith("prophet") else fit_random_forest
            wall, cpu = time.perf_counter(), _cpu_seconds()
            fit(history, horizon, settings, weather)
            seconds[name].append((time.perf_counter() - wall, _cpu_seconds() - cpu))
    result = {}
    for name, pairs in seconds.items():
        cpu = statistics.median(c for _, c in pairs)
        result[name] = {
            "fits": len(pairs),
            "median_wall_s": round(statistics.median(w for w, _ in pairs), 3),
            "median_cpu_s": round(cpu, 3),
            "fits_per_second_per_core": round(1.0 / cpu, 2),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stations", type=int, default=12)
    parser.add_argument("--history-days", type=int, nargs="+", default=[90, 365])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    demand = station_demand(args.stations, args.seed)
    start = LAST_HOUR - timedelta(hours=35)
    runs: dict[str, Any] = {}
    print("| history | model | fits | median wall s | median CPU s | fits/s/core |")
    print("|---|---|---:|---:|---:|---:|")
    for days in args.history_days:
        # a warm-up fit of each kind (Stan model load, imports) stays out of the timings
        time_fits(dict(list(demand.items())[:1]), replace(PROJECT.bakeoff(start), history_days=days))
        timings = time_fits(demand, replace(PROJECT.bakeoff(start), history_days=days))
        runs[f"history_days_{days}"] = timings
        for name, row in timings.items():
            print(
                f"| {days} d | {name} | {row['fits']} | {row['median_wall_s']} | {row['median_cpu_s']} "
                f"| {row['fits_per_second_per_core']} |"
            )
    result = {
        "benchmark": "stations_fits",
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "stations": args.stations,
        "seed": args.seed,
        "load_average_after": load_average(),
        "machine": machine_info(PACKAGES),
        "runs": runs,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "stations_fits.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
