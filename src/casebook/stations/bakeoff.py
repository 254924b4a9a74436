"""The per-station bake-off (chapter 5): four models forecast each station's next hours; RMSE picks one.

Every station's hourly demand (zero hours included) up to the forecast start trains four models,
which then forecast the `horizon_hours` hours from the forecast start:

  * prophet: Prophet with daily, weekly and yearly seasonality and the country's holidays;
  * prophet_weather: the same plus temperature and precipitation as extra regressors;
  * random_forest: scikit-learn's random forest on time features (year, month, day of week,
    hour, holiday flag);
  * random_forest_weather: the same plus temperature and precipitation.

The weather-aware models get the observed weather of the forecast hours (a perfect weather
forecast, as the chapter does). Forecasts are clipped at zero trips. Everything a fit draws at
random is seeded: the forests' random_state, and numpy's global seed before Prophet's predict
(which samples its uncertainty intervals); Prophet's fit is a deterministic optimisation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

import holidays
import numpy as np
import pandas as pd

from casebook.forecasting.prophet_fit import with_array_data
from casebook.spark import apply_per_group, ddl

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

# Prophet logs an error on import when plotly (optional, for its plots) is missing: not an error here.
logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)

MODELS = ("prophet", "prophet_weather", "random_forest", "random_forest_weather")
WEATHER_AWARE = frozenset({"prophet_weather", "random_forest_weather"})
WEATHER_COLUMNS = ["temperature_c", "precipitation_mm"]
TIME_FEATURES = ["year", "month", "day_of_week", "hour", "is_holiday"]
INTERVAL_WIDTH = 0.8  # Prophet's interval: the 10th to 90th percentile of its samples
INTERVAL_SAMPLES = 200  # draws behind Prophet's interval (fewer than its default 1,000: 36 rows)

# Columns of int_stations__forecasts, in order, with their Spark types.
OUTPUT_COLUMNS = {
    "station_id": "string",
    "model_name": "string",
    "is_weather_aware": "boolean",
    "forecast_start_ts": "timestamp",
    "hour_ts": "timestamp",
    "horizon_step": "int",
    "history_hours": "int",
    "actual_trips": "bigint",
    "predicted_trips": "double",
    "predicted_lower_trips": "double",
    "predicted_upper_trips": "double",
    # set on a station's one row when it is skipped (not scored); null on every forecast row
    "skip_reason": "string",
}
OUTPUT_SCHEMA = ddl(OUTPUT_COLUMNS)


@dataclass(frozen=True)
class BakeoffSettings:
    """What every station's bake-off shares (built from the vars stations_* by StationsSettings)."""

    forecast_start: datetime
    history_days: int
    horizon_hours: int
    seed: int
    trees: int
    holiday_country: str

    @property
    def history_start(self) -> datetime:
        return self.forecast_start - timedelta(days=self.history_days)

    @property
    def forecast_end(self) -> datetime:
        """The first hour after the horizon."""
        return self.forecast_start + timedelta(hours=self.horizon_hours)


# --------------------------------------------------------------------------- one station


def time_features(hours: pd.Series, country: str) -> pd.DataFrame:
    """The forests' time features: year, month, day of week (Monday 0), hour, holiday flag."""
    hours = pd.to_datetime(hours)
    calendar = holidays.country_holidays(country, years=sorted(set(hours.dt.year)))
    return pd.DataFrame(
        {
            "year": hours.dt.year,
            "month": hours.dt.month,
            "day_of_week": hours.dt.dayofweek,
            "hour": hours.dt.hour,
            "is_holiday": hours.dt.date.isin(list(calendar)).astype(int),
        },
        index=hours.index,
    )


def split_window(rows: pd.DataFrame, settings: BakeoffSettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(history, horizon) rows of one station, by hour; weather gaps filled from the nearest hours."""
    rows = rows.sort_values("hour_ts").reset_index(drop=True)
    hour = pd.to_datetime(rows["hour_ts"])
    rows = rows[(hour >= settings.history_start) & (hour < settings.forecast_end)].reset_index(drop=True)
    rows[WEATHER_COLUMNS] = rows[WEATHER_COLUMNS].astype(float).interpolate(limit_direction="both")
    in_history = pd.to_datetime(rows["hour_ts"]) < settings.forecast_start
    return rows[in_history].reset_index(drop=True), rows[~in_history].reset_index(drop=True)


def fit_prophet(
    history: pd.DataFrame, horizon: pd.DataFrame, settings: BakeoffSettings, with_weather: bool
) -> pd.DataFrame:
    """Prophet's forecast (yhat, yhat_lower, yhat_upper) for the horizon's hours."""
    from cmdstanpy.utils import get_logger
    from prophet import Prophet

    # cmdstanpy sets its logger to DEBUG on first use unless it has a handler: take it, then quieten it.
    get_logger().setLevel(logging.WARNING)
    # Yearly seasonality on less than two years of hours is asked for on purpose: no warning per fit.
    logging.getLogger("prophet").setLevel(logging.ERROR)
    model = with_array_data(
        Prophet(
            daily_seasonality=True,
            weekly_seasonality=True,
            yearly_seasonality=True,
            interval_width=INTERVAL_WIDTH,
            uncertainty_samples=INTERVAL_SAMPLES,
        )
    )
    model.add_country_holidays(country_name=settings.holiday_country)
    columns = ["ds", "y"]
    if with_weather:
        for column in WEATHER_COLUMNS:
            model.add_regressor(column)
        columns += WEATHER_COLUMNS
    train = history.rename(columns={"hour_ts": "ds", "actual_trips": "y"})[columns]
    model.fit(train.astype({"y": float}))
    future = horizon.rename(columns={"hour_ts": "ds"})[[c for c in columns if c != "y"]]
    np.random.seed(settings.seed)  # Prophet samples its intervals with numpy's global generator
    return model.predict(future)[["yhat", "yhat_lower", "yhat_upper"]]


def fit_random_forest(
    history: pd.DataFrame, horizon: pd.DataFrame, settings: BakeoffSettings, with_weather: bool
) -> np.ndarray:
    """A random forest's forecast for the horizon's hours, from time (and weather) features."""
    from sklearn.ensemble import RandomForestRegressor

    def features(rows: pd.DataFrame) -> pd.DataFrame:
        frame = time_features(rows["hour_ts"], settings.holiday_country)
        return pd.concat([frame, rows[WEATHER_COLUMNS]], axis=1) if with_weather else frame

    forest = RandomForestRegressor(n_estimators=settings.trees, random_state=settings.seed, n_jobs=1)
    forest.fit(features(history).to_numpy(), history["actual_trips"].to_numpy(dtype=float))
    return forest.predict(features(horizon).to_numpy())


def skip_reason(history: pd.DataFrame, horizon: pd.DataFrame, settings: BakeoffSettings) -> str | None:
    """Why a station cannot be scored, or None: a window without trips says nothing about a model
    (on an all-zero horizon every model that forecasts about zero scores about RMSE 0)."""
    if history.empty or history["actual_trips"].sum() == 0:
        return _no_trips("training", settings.history_start, settings.forecast_start)
    if horizon.empty or horizon["actual_trips"].sum() == 0:
        return _no_trips("scoring", settings.forecast_start, settings.forecast_end)
    return None


def _no_trips(window: str, start: datetime, end: datetime) -> str:
    return f"no trips in the {window} window {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} (not scored)"


def skipped_station(
    station_id: str, history_hours: int, reason: str, settings: BakeoffSettings
) -> pd.DataFrame:
    """The one row of a skipped station: its id, the window and the reason; no model, no forecast."""
    row = dict.fromkeys(OUTPUT_COLUMNS)
    row.update(
        station_id=station_id,
        forecast_start_ts=pd.Timestamp(settings.forecast_start),
        history_hours=history_hours,
        skip_reason=reason,
    )
    return pd.DataFrame([row], columns=list(OUTPUT_COLUMNS))


def forecast_station(rows: pd.DataFrame, settings: BakeoffSettings) -> pd.DataFrame:
    """Every model's forecast of one station's horizon, one row per (model, hour).

    `rows`: the station's hourly demand (station_id, hour_ts, actual_trips, temperature_c,
    precipitation_mm); hours outside the history window and horizon are ignored. A station without
    trips in the history window or in the horizon is skipped: one row with its skip_reason and no
    forecast. Without any weather, no weather-aware rows.
    """
    history, horizon = split_window(rows, settings)
    reason = skip_reason(history, horizon, settings)
    if reason:
        return skipped_station(rows["station_id"].iloc[0], len(history), reason, settings)
    has_weather = not history[WEATHER_COLUMNS].isna().any().any()
    frames = []
    for model_name in MODELS:
        weather = model_name in WEATHER_AWARE
        if weather and not has_weather:
            continue
        if model_name.startswith("prophet"):
            forecast = fit_prophet(history, horizon, settings, weather)
            predicted, lower, upper = (forecast[c].to_numpy() for c in ("yhat", "yhat_lower", "yhat_upper"))
        else:
            predicted = fit_random_forest(history, horizon, settings, weather)
            lower = upper = np.full(len(horizon), np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "station_id": horizon["station_id"],
                    "model_name": model_name,
                    "is_weather_aware": weather,
                    "forecast_start_ts": pd.Timestamp(settings.forecast_start),
                    "hour_ts": pd.to_datetime(horizon["hour_ts"]),
                    "horizon_step": np.arange(1, len(horizon) + 1, dtype=np.int32),
                    "history_hours": np.int32(len(history)),
                    "actual_trips": horizon["actual_trips"].astype(np.int64),
                    "predicted_trips": np.clip(predicted, 0.0, None),
                    "predicted_lower_trips": np.clip(lower, 0.0, None),
                    "predicted_upper_trips": np.clip(upper, 0.0, None),
                    "skip_reason": None,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[list(OUTPUT_COLUMNS)]


# --------------------------------------------------------------------------- every station, on Spark


def resolve_forecast_start(hourly_demand: DataFrame, configured: str | None, horizon_hours: int) -> datetime:
    """The configured forecast start, else the last hour of demand minus the horizon (so the
    horizon's last hour is the data's last hour). Read as text, so the driver's own time zone
    never shifts it (Spark collects timestamps in the machine's zone, the session's is UTC)."""
    from pyspark.sql import functions as F

    if configured:
        return datetime.fromisoformat(str(configured))
    last = hourly_demand.agg(F.date_format(F.max("hour_ts"), "yyyy-MM-dd HH:mm:ss")).first()[0]
    if last is None:
        raise ValueError("No hourly demand to forecast: is raw/stations/trips empty?")
    return datetime.fromisoformat(last) - timedelta(hours=horizon_hours - 1)


def _spark_ts(moment: datetime):
    """A timestamp literal in the session's time zone (wall clock as written)."""
    from pyspark.sql import functions as F

    return F.to_timestamp(F.lit(moment.strftime("%Y-%m-%d %H:%M:%S")))


def forecast_stations(hourly_demand: DataFrame, settings: BakeoffSettings) -> DataFrame:
    """int_stations__forecasts: every station's bake-off, one station per pandas call on the executors."""
    from pyspark.sql import functions as F

    hour = F.col("hour_ts")
    window = hourly_demand.where(
        (hour >= _spark_ts(settings.history_start)) & (hour < _spark_ts(settings.forecast_end))
    ).select("station_id", "hour_ts", "actual_trips", *WEATHER_COLUMNS)
    forecasts = apply_per_group(
        window, ["station_id"], partial(forecast_station, settings=settings), OUTPUT_SCHEMA
    )
    return forecasts.unionByName(_stations_outside_the_window(hourly_demand, window, settings))


def _stations_outside_the_window(hourly_demand: DataFrame, window: DataFrame, settings: BakeoffSettings):
    """Skip rows of the stations with no hour at all in the history window or horizon (their data
    ends before it or starts after it)."""
    from pyspark.sql import functions as F

    absent = (
        hourly_demand.select("station_id")
        .distinct()
        .join(window.select("station_id"), "station_id", "left_anti")
    )
    reason = _no_trips("training", settings.history_start, settings.forecast_start)
    columns = {name: F.lit(None).cast(kind) for name, kind in OUTPUT_COLUMNS.items()}
    columns.update(
        station_id=F.col("station_id"),
        forecast_start_ts=_spark_ts(settings.forecast_start),
        history_hours=F.lit(0).cast("int"),
        skip_reason=F.lit(reason),
    )
    return absent.select(*(column.alias(name) for name, column in columns.items()))
