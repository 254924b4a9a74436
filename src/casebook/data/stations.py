"""Bike-share trips and hourly weather: a deterministic generator, and loaders for real Citi Bike files.

Two raw tables land under raw/stations/:

  * trips: one row per trip (duration, start and stop time, start and end station, bike, user type);
  * weather: one row per hour of the city's weather (temperature in deg C, precipitation in mm).

Times are New York wall-clock times without a zone (Parquet timestamps not adjusted to UTC), so an
hour of the day means what a rider sees on the clock.

The generator makes N stations whose hourly trip counts are Poisson around a rate built from:
a daily profile (weekday commuting peaks at 8-9 h and 17-18 h, a midday leisure bump on weekends and
US holidays, a mix that differs per station), yearly seasonality (busier in summer), and the weather
(more trips when it is warm, far fewer when it rains), with a sensitivity that differs per station.
Stations average 0.3 to 3.5 trips an hour before weather, so most night hours and many quiet
stations' hours have no trip. The weather is one city's: a seasonal temperature with a daily cycle and
day-to-day swings, and rain spells from a two-state Markov chain; the last Monday's morning commute
(inside the default bake-off horizon) is always rainy.

Injected bad rows (about 0.1 % per kind; the first station always carries at least one of each):
trips with a missing start time or start station, trips that stop before they start, the same
bike starting twice at the same time (a duplicate delivery); weather hours with no time, an
impossible temperature, negative precipitation, or a second reading of the same hour.

The loaders read real Citi Bike trip files in both historical layouts (text timestamps, and the
epoch-millisecond sample) and the Open-Meteo daily weather, spread to hours (see read_daily_weather).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pyarrow as pa

from casebook.data.lake import checked_floats, checked_integers, replace_folder, write_frame
from casebook.data.scales import scale_of

__all__ = [
    "BAD_ROW_KINDS",
    "LAST_HOUR",
    "SCALES",
    "TRIP_ARROW_SCHEMA",
    "WEATHER_ARROW_SCHEMA",
    "StationsScale",
    "generate_stations",
    "ingest_citibike",
    "read_citibike_trips",
    "read_daily_weather",
    "write_stations",
]

LAST_HOUR = datetime(2024, 9, 30, 23)  # the last hour of generated data (a Monday evening)

BAD_ROW_KINDS = (
    "trip_missing_key",  # added copy of a trip with a null start time or start station
    "trip_stop_before_start",  # added copy of a trip whose stop time is before its start
    "trip_duplicate",  # added exact copy of a trip (same bike, same start time)
    "weather_missing_hour",  # added copy of a weather row with a null hour
    "weather_impossible_temperature",  # added copy of a weather row with a temperature of 99 deg C
    "weather_negative_precipitation",  # added copy of a weather row with negative precipitation
    "weather_duplicate",  # added second reading of an hour
)

TRIP_ARROW_SCHEMA = pa.schema(
    [
        ("trip_duration_s", pa.int64()),
        ("start_local_ts", pa.timestamp("us")),
        ("stop_local_ts", pa.timestamp("us")),
        ("start_station_id", pa.string()),
        ("start_station_name", pa.string()),
        ("end_station_id", pa.string()),
        ("end_station_name", pa.string()),
        ("bike_id", pa.int64()),
        ("user_type", pa.string()),
    ]
)
WEATHER_ARROW_SCHEMA = pa.schema(
    [
        ("weather_local_ts", pa.timestamp("us")),
        ("temperature_c", pa.float64()),
        ("precipitation_mm", pa.float64()),
    ]
)

_BAD_RATE = 0.001
_HOLIDAY_COUNTRY = "US"


def _day_shapes() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Trips by hour of day (mean 1 over the day): weekday commuting, weekday leisure, weekend leisure."""
    hour = np.arange(24) + 0.5

    def bump(centre: float, width: float) -> np.ndarray:
        return np.exp(-0.5 * ((hour - centre) / width) ** 2)

    night = 0.01
    shapes = (
        night + bump(8.5, 1.0) + bump(17.7, 1.3),
        night + 0.8 * bump(13.5, 3.5) + 0.4 * bump(20.0, 1.8),
        night + bump(14.0, 3.0),
    )
    return tuple(shape / shape.mean() for shape in shapes)


_DAY_SHAPES = _day_shapes()


@dataclass(frozen=True)
class StationsScale:
    """Size of a generated data set: `stations` stations over the `days` days up to LAST_HOUR."""

    stations: int
    days: int

    @property
    def hours(self) -> int:
        return self.days * 24


SCALES: dict[str, StationsScale] = {
    "tiny": StationsScale(stations=5, days=100),
    "small": StationsScale(stations=60, days=365),
    "medium": StationsScale(stations=200, days=365),
    "large": StationsScale(stations=400, days=730),  # more than the default top 200
}


# --------------------------------------------------------------------------- public API: generator


def generate_stations(scale: str, seed: int, stations: int | None = None) -> dict[str, pd.DataFrame]:
    """Both raw tables (trips, weather) of a scale, clean plus injected bad rows.

    `stations` keeps only the first stations of the scale (the same rows as the full scale's):
    tests use it to get a larger-than-tiny sample cheaply.
    """
    weather, parts = _generate(scale, seed, stations)
    return {"trips": pd.concat(list(parts), ignore_index=True), "weather": weather}


def write_stations(raw_dir: Path, scale: str, seed: int) -> dict[str, int]:
    """Write raw_dir/stations/{trips,weather}/part-NNNNN.parquet; return row counts.

    One trips part per station; the folders are emptied first. Identical for the same (scale, seed).
    """
    base = Path(raw_dir) / "stations"
    weather, parts = _generate(scale, seed, None)
    for table in ("trips", "weather"):
        replace_folder(base / table)
    write_frame(weather, base / "weather", schema=WEATHER_ARROW_SCHEMA)
    trips = 0
    for part, frame in enumerate(parts):
        write_frame(frame, base / "trips", part, schema=TRIP_ARROW_SCHEMA)
        trips += len(frame)
    return {"trips": trips, "weather": len(weather)}


def station_ids(count: int) -> list[str]:
    """Ids of the first `count` generated stations."""
    return [f"S{index + 1:04d}" for index in range(count)]


# --------------------------------------------------------------------------- generation


def _generate(scale_name: str, seed: int, keep: int | None) -> tuple[pd.DataFrame, Iterator[pd.DataFrame]]:
    scale = scale_of(SCALES, scale_name, "stations")
    root = np.random.SeedSequence(seed)
    weather_seq, stations_seq, bad_seq = root.spawn(3)
    hours = pd.date_range(end=LAST_HOUR, periods=scale.hours, freq="h")
    weather = _city_weather(np.random.default_rng(weather_seq), hours)
    bad_weather = _bad_weather(np.random.default_rng(bad_seq), weather)
    count = scale.stations if keep is None else min(keep, scale.stations)
    ids = station_ids(scale.stations)
    holiday_dates = holidays.country_holidays(_HOLIDAY_COUNTRY, years=sorted(set(hours.year)))
    is_holiday = np.asarray(pd.Index(hours.date).isin(list(holiday_dates)))
    is_workday = (hours.dayofweek.to_numpy() < 5) & ~is_holiday

    def parts() -> Iterator[pd.DataFrame]:
        for index, child in enumerate(stations_seq.spawn(scale.stations)[:count]):
            rng = np.random.default_rng(child)
            rate = _hourly_rate(rng, hours, is_workday, weather)
            trips = _station_trips(rng, rate, index, ids, hours)
            yield _bad_trips(rng, trips, ensure=index == 0)

    return bad_weather, parts()


def _city_weather(rng: np.random.Generator, hours: pd.DatetimeIndex) -> pd.DataFrame:
    """Hourly temperature (seasonal + daily cycle + day-to-day swings) and rain spells."""
    n = len(hours)
    day_of_year = hours.dayofyear.to_numpy()
    hour = hours.hour.to_numpy()
    seasonal = 13.0 + 11.0 * np.cos(2 * np.pi * (day_of_year - 200) / 365.25)
    daily_cycle = 4.0 * np.cos(2 * np.pi * (hour - 15) / 24)
    # Day-to-day swings: an AR(1) over days, interpolated to hours so fronts pass smoothly.
    days = n // 24 + 2
    anomaly = np.zeros(days)
    for day in range(1, days):
        anomaly[day] = 0.75 * anomaly[day - 1] + rng.normal(0.0, 3.5)
    hourly_anomaly = np.interp(np.arange(n) / 24.0, np.arange(days), anomaly)
    temperature = seasonal + daily_cycle + hourly_anomaly + rng.normal(0.0, 0.7, n)

    raining = np.zeros(n, dtype=bool)
    start, stay = rng.random(n), rng.random(n)
    for index in range(1, n):
        raining[index] = stay[index] < 0.85 if raining[index - 1] else start[index] < 0.015
    # The bake-off's default horizon (the last 36 hours) gets a rain spell over Monday's morning
    # commute: weather the time-only models cannot foresee, so the weather-aware models can show it.
    raining[n - 22 : n - 13] = True
    precipitation = np.where(raining, rng.gamma(1.3, 1.2, n), 0.0)
    return pd.DataFrame(
        {
            "weather_local_ts": hours.to_numpy(),
            "temperature_c": np.round(temperature, 1),
            "precipitation_mm": np.round(precipitation, 1),
        }
    )


def _hourly_rate(
    rng: np.random.Generator, hours: pd.DatetimeIndex, is_workday: np.ndarray, weather: pd.DataFrame
) -> np.ndarray:
    """Expected trips per hour at one station: profile x season x weather, with the station's own traits."""
    base = float(np.exp(rng.uniform(np.log(0.3), np.log(3.5))))  # mean trips per hour, before weather
    commuting = rng.uniform(0.2, 0.9)  # share of weekday demand that is commuting
    sensitivity = rng.uniform(0.7, 1.3)  # how strongly the station's riders react to the weather

    hour = hours.hour.to_numpy()
    commute, weekday_leisure, weekend_leisure = _DAY_SHAPES
    profile = np.where(
        is_workday,
        commuting * commute[hour] + (1 - commuting) * weekday_leisure[hour],
        weekend_leisure[hour],
    )
    season = 1.0 + 0.3 * np.cos(2 * np.pi * (hours.dayofyear.to_numpy() - 200) / 365.25)

    temperature = weather["temperature_c"].to_numpy()
    precipitation = weather["precipitation_mm"].to_numpy()
    warmth = 0.045 * (np.minimum(temperature, 27.0) - 15.0) - 0.08 * np.maximum(temperature - 27.0, 0.0)
    wetness = -0.9 * np.minimum(precipitation, 4.0)
    return base * profile * season * np.exp(sensitivity * (warmth + wetness))


def _station_trips(
    rng: np.random.Generator, rate: np.ndarray, index: int, ids: list[str], hours: pd.DatetimeIndex
) -> pd.DataFrame:
    """Every trip starting at one station: Poisson counts per hour, times spread within the hour."""
    counts = rng.poisson(rate)
    total = int(counts.sum())
    start_hour = np.repeat(hours.to_numpy(), counts)
    start = start_hour + (rng.integers(0, 3600, total) * 1_000_000).astype("timedelta64[us]")
    duration = np.clip(np.round(rng.lognormal(np.log(720.0), 0.6, total)), 61, 6 * 3600).astype(np.int64)
    end_index = rng.integers(0, len(ids), total)
    names = np.array([f"Station {station[1:]}" for station in ids], dtype=object)
    return pd.DataFrame(
        {
            "trip_duration_s": duration,
            "start_local_ts": start,
            "stop_local_ts": start + (duration * 1_000_000).astype("timedelta64[us]"),
            "start_station_id": ids[index],
            "start_station_name": names[index],
            "end_station_id": np.asarray(ids, dtype=object)[end_index],
            "end_station_name": names[end_index],
            # one bike per trip at a station: (bike, start time) never repeats among clean trips
            "bike_id": 100_000 * (index + 1) + np.arange(total, dtype=np.int64),
            "user_type": np.where(rng.random(total) < 0.85, "Subscriber", "Customer").astype(object),
        }
    )


# --------------------------------------------------------------------------- bad rows


def _count(rng: np.random.Generator, rows: int, ensure: bool) -> int:
    return max(int(rng.binomial(rows, _BAD_RATE)), min(int(ensure), rows))


def _copies(rng: np.random.Generator, frame: pd.DataFrame, count: int) -> pd.DataFrame:
    picked = np.sort(rng.choice(len(frame), size=min(count, len(frame)), replace=False))
    return frame.iloc[picked].copy()


def _bad_trips(rng: np.random.Generator, trips: pd.DataFrame, ensure: bool) -> pd.DataFrame:
    """One station's trips plus injected missing keys, reversed times and duplicates."""
    keyless = _copies(rng, trips, 2 * _count(rng, len(trips), ensure))
    keyless["start_local_ts"] = keyless["start_local_ts"].astype(object)
    keyless.loc[keyless.index[0::2], "start_local_ts"] = None
    keyless.loc[keyless.index[1::2], "start_station_id"] = None
    keyless["bike_id"] = keyless["bike_id"] + 50_000  # not duplicates of the clean rows
    reversed_times = _copies(rng, trips, _count(rng, len(trips), ensure))
    reversed_times["stop_local_ts"] = reversed_times["start_local_ts"] - pd.Timedelta(minutes=5)
    reversed_times["bike_id"] = reversed_times["bike_id"] + 60_000
    duplicates = _copies(rng, trips, _count(rng, len(trips), ensure))
    parts = [trips, *(bad for bad in (keyless, reversed_times, duplicates) if len(bad))]
    frame = pd.concat(parts, ignore_index=True)
    frame["start_local_ts"] = pd.to_datetime(frame["start_local_ts"])
    return frame


def _bad_weather(rng: np.random.Generator, weather: pd.DataFrame) -> pd.DataFrame:
    """The city's weather plus one or more rows of each bad weather kind."""
    missing_hour = _copies(rng, weather, _count(rng, len(weather), True))
    missing_hour["weather_local_ts"] = pd.NaT
    hot = _copies(rng, weather, _count(rng, len(weather), True))
    hot["temperature_c"] = 99.0
    wet = _copies(rng, weather, _count(rng, len(weather), True))
    wet["precipitation_mm"] = -1.0
    second = _copies(rng, weather, _count(rng, len(weather), True))
    second["temperature_c"] = second["temperature_c"] + 0.5  # a second, differing reading of the hour
    return pd.concat([weather, missing_hour, hot, wet, second], ignore_index=True)


# --------------------------------------------------------------------------- real Citi Bike files

_CITIBIKE_COLUMNS = {
    "tripduration": "trip_duration_s",
    "starttime": "start_local_ts",
    "stoptime": "stop_local_ts",
    "start station id": "start_station_id",
    "start station name": "start_station_name",
    "end station id": "end_station_id",
    "end station name": "end_station_name",
    "bikeid": "bike_id",
    "usertype": "user_type",
}
# The epoch-millisecond sample was written by reading New York wall-clock times as US Pacific times
# (its trips then peak at 8 h and 17-18 h, as commuting does); reading them back the same way
# restores the wall clock.
EPOCH_WRITER_TIMEZONE = "America/Los_Angeles"
# Trip and weather times outside these years (e.g. a wrapped epoch) become null: staging quarantines them.
PLAUSIBLE_YEARS = (1990, 2100)


def read_citibike_trips(path: Path, epoch_timezone: str = EPOCH_WRITER_TIMEZONE) -> pd.DataFrame:
    """One Citi Bike trip CSV (legacy 15-column layout) as raw trips rows, times as NY wall clock.

    Timestamps are either text (`8/1/2015 01:19:15`, `2014-09-01 00:00:11`) or epoch milliseconds;
    epoch values are turned into wall-clock time in `epoch_timezone`.
    """
    try:
        frame = pd.read_csv(path, usecols=list(_CITIBIKE_COLUMNS), dtype={"usertype": object})
    except ValueError as error:  # pandas names the missing columns
        raise ValueError(
            f"{path} is not a Citi Bike trip CSV ({error}): expected the legacy trip columns"
        ) from None
    frame = frame.rename(columns=_CITIBIKE_COLUMNS)
    for column in ("start_local_ts", "stop_local_ts"):
        frame[column] = _wall_clock(frame[column], epoch_timezone)
    for column in ("start_station_id", "end_station_id"):
        frame[column] = frame[column].map(_station_id, na_action="ignore").astype(object)
    for column in ("trip_duration_s", "bike_id"):
        frame[column] = checked_integers(frame[column])
    return frame[TRIP_ARROW_SCHEMA.names]


def _wall_clock(values: pd.Series, epoch_timezone: str) -> pd.Series:
    """Wall-clock times; unparseable ones and those outside PLAUSIBLE_YEARS become null (never wrapped)."""
    if pd.api.types.is_numeric_dtype(values):
        millis = values.astype("float64")
        low, high = (pd.Timestamp(f"{year}-01-01", tz="UTC").value // 1_000_000 for year in PLAUSIBLE_YEARS)
        usable = millis.where((millis >= low) & (millis < high))
        instants = pd.to_datetime(usable, unit="ms", utc=True)
        wall = instants.dt.tz_convert(epoch_timezone).dt.tz_localize(None)
    else:
        wall = pd.to_datetime(values, format="mixed", errors="coerce")
        years = wall.dt.year
        wall = wall.where((years >= PLAUSIBLE_YEARS[0]) & (years < PLAUSIBLE_YEARS[1]))
    return wall.astype("datetime64[us]")


def _station_id(value: object) -> str:
    """Station ids as text: 301, 301.0 and '301' are all '301'; other text is kept as written."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number.is_integer() else str(value)


def read_daily_weather(path: Path) -> pd.DataFrame:
    """Open-Meteo daily NYC weather spread to hours: raw weather rows.

    Each of a day's 24 hours gets the day's mean temperature and one 24th of its precipitation, so
    daily totals are kept and the weather-aware models see daily regressors at the hourly grain.
    """
    try:
        daily = pd.read_csv(
            path,
            usecols=["date", "temperature_2m_mean", "precipitation_sum"],
            dtype=str,
            keep_default_na=False,
        )
    except ValueError as error:  # pandas names the missing columns
        raise ValueError(f"{path} is not an Open-Meteo daily weather CSV ({error})") from None
    # `date` is the local midnight written as a UTC instant; its date part is the local day. A date
    # that is not YYYY-MM-DD... becomes null, and staging quarantines its 24 hours.
    days = pd.to_datetime(daily["date"].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    years = days.dt.year
    days = days.where((years >= PLAUSIBLE_YEARS[0]) & (years < PLAUSIBLE_YEARS[1]))
    for column in ("temperature_2m_mean", "precipitation_sum"):
        daily[column] = checked_floats(daily[column])
    offsets = pd.to_timedelta(np.arange(24), unit="h")
    hours = (days.to_numpy()[:, None] + offsets.to_numpy()[None, :]).ravel()
    return pd.DataFrame(
        {
            "weather_local_ts": hours.astype("datetime64[us]"),
            "temperature_c": np.repeat(daily["temperature_2m_mean"].to_numpy(dtype=float), 24),
            "precipitation_mm": np.repeat(daily["precipitation_sum"].to_numpy(dtype=float) / 24.0, 24),
        }
    )


def find_citibike_files(path: Path) -> tuple[list[Path], Path | None]:
    """Trip files (the file itself, or every *trips*.csv of a folder) and the Open-Meteo file beside them."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    trips = sorted(folder.glob("*trips*.csv")) if path.is_dir() else [path]
    if not trips or not all(file.is_file() for file in trips):
        raise FileNotFoundError(f"No Citi Bike trip CSV at {path}")
    weather = sorted(folder.glob("*weather_openmeteo*.csv"))
    return trips, (weather[0] if weather else None)


# Trip files are merged into one period only if each starts at most this long after the previous one
# ends: hourly demand is zero-filled over the period, so a gap between files would count as no trips.
MAX_GAP_BETWEEN_FILES = pd.Timedelta(days=1)


def check_one_period(files: list[tuple[Path, pd.DataFrame]]) -> None:
    """Refuse trip files of different periods (a gap of more than MAX_GAP_BETWEEN_FILES between them)."""
    spans = sorted(
        (frame["start_local_ts"].min(), frame["start_local_ts"].max(), path.name)
        for path, frame in files
        if frame["start_local_ts"].notna().any()
    )
    covered_until, previous = None, None
    for first, last, name in spans:
        if covered_until is not None and first - covered_until > MAX_GAP_BETWEEN_FILES:
            raise ValueError(
                f"Trip files of different periods: {name} starts {first:%Y-%m-%d} but {previous} ends"
                f" {covered_until:%Y-%m-%d}, and the hours between would count as zero trips; ingest"
                " one period at a time (one file, or a folder of files that follow one another)."
            )
        if covered_until is None or last > covered_until:
            covered_until, previous = last, name


def ingest_citibike(path: Path, raw: Path) -> dict[str, int]:
    """Citi Bike trips (a file, or a folder of them covering one period) and the daily weather beside
    them become the stations source (replacing whatever was there). Without a weather file the weather
    table is empty. Files of different periods are refused (check_one_period) before anything is written."""
    trip_files, weather_file = find_citibike_files(path)
    frames = [(file, read_citibike_trips(file)) for file in trip_files]
    check_one_period(frames)
    trips = pd.concat([frame for _, frame in frames], ignore_index=True)
    weather = read_daily_weather(weather_file) if weather_file else _empty(WEATHER_ARROW_SCHEMA)
    for name, frame, schema in (
        ("trips", trips, TRIP_ARROW_SCHEMA),
        ("weather", weather, WEATHER_ARROW_SCHEMA),
    ):
        folder = raw / "stations" / name
        replace_folder(folder)
        write_frame(frame, folder, schema=schema)
    return {"trips": len(trips), "weather": len(weather)}


def _empty(schema: pa.Schema) -> pd.DataFrame:
    return schema.empty_table().to_pandas()
