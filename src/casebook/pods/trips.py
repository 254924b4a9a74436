"""Pod-trip statistics written with the pandas API on Spark (chapter 8: Koalas, now pyspark.pandas).

The code reads like the pandas a data scientist writes on a laptop (sort, shift within each trip,
trapezoids, groupby-agg, describe), yet every step runs on the executors: nothing is collected.
The SQL models int_pods__trip_stats and int_pods__trip_stats_summary compute the same with window
functions, and tests check that both agree.

Index handling stays distributed and deterministic: the readings are indexed by their natural key
(pod, trip, reading time) instead of a default index, so pandas-on-Spark never has to number rows
(a sequence index makes Spark number every row in order; a `distributed` one is a
monotonically_increasing_id that may differ between two evaluations of the same frame), and
re-aligning the shifted readings with the current ones is an exact join on that key.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyspark.pandas as ps
    from pyspark.sql import DataFrame

__all__ = ["KM_PER_MILE", "SUMMARY_COLUMNS", "TRIP_METRICS", "describe_trips", "trip_stats"]

KM_PER_MILE = 1.609344
SECONDS_PER_HOUR = 3600.0
MICROS_PER_SECOND = 1_000_000
TRIP_KEYS = ["pod_id", "trip_id"]
# The per-trip measures whose distribution over trips describe_trips summarises, in output order.
TRIP_METRICS = ["trip_seconds", "distance_miles", "avg_speed_mph", "avg_speed_kmh", "max_speed_mph"]
# describe()'s statistics -> the summary's column names.
SUMMARY_COLUMNS = {
    "count": "trip_count",
    "mean": "mean_value",
    "std": "std_value",
    "min": "min_value",
    "25%": "p25_value",
    "50%": "p50_value",
    "75%": "p75_value",
    "max": "max_value",
}


@contextmanager
def pandas_on_spark() -> Iterator[None]:
    """pandas-on-Spark settings for these functions, and quiet about them.

    Spark 4 runs SQL in ANSI mode, which pandas-on-Spark refuses by default because some pandas
    semantics differ under it (e.g. integer overflow raises). Nothing here depends on those
    differences (no casts of text, no integer division; divisions by zero are masked first), so
    the check is turned off for these calls only, with its advice warning. Where a frame does get
    a default index (describe's input), it is the `distributed` kind: no job numbers the rows.
    """
    import pyspark.pandas as ps
    from pyspark.pandas.utils import PandasAPIOnSparkAdviceWarning

    with (
        ps.option_context("compute.fail_on_ansi_mode", False, "compute.default_index_type", "distributed"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", PandasAPIOnSparkAdviceWarning)
        yield


def _readings(telemetry: DataFrame) -> ps.DataFrame:
    """Telemetry as a pandas-on-Spark frame indexed by its natural key, in trip order."""
    from pyspark.sql import functions as F

    keyed = telemetry.select(
        F.col("pod_id").alias("key_pod_id"),
        F.col("trip_id").alias("key_trip_id"),
        F.col("event_ts").alias("key_event_ts"),
        "pod_id",
        "trip_id",
        "event_ts",
        "speed_mph",
    )
    return keyed.pandas_api(index_col=["key_pod_id", "key_trip_id", "key_event_ts"]).sort_index()


def _null_nan(frame: DataFrame, columns: list[str]) -> DataFrame:
    """pandas' missing float (NaN) as SQL's missing value (null)."""
    from pyspark.sql import functions as F

    for column in columns:
        frame = frame.withColumn(column, F.nanvl(F.col(column), F.lit(None).cast("double")))
    return frame


def trip_stats(telemetry: DataFrame) -> DataFrame:
    """One row per (pod, trip): start, end, duration, distance, average and top speed.

    Distance integrates speed over the actual time between readings with the trapezoid rule:
    each step adds (previous speed + speed) / 2 x seconds since the previous reading. Average
    speed is distance over trip time (a time-weighted mean; null for a trip of a single instant).
    """
    from pyspark.sql import functions as F

    with pandas_on_spark():
        readings = _readings(telemetry)
        # Microseconds since the epoch, a whole number: differences are exact (pandas-on-Spark's
        # timestamp subtraction rounds to whole seconds; epoch seconds as doubles lose ~1e-7 s).
        readings["event_us"] = readings["event_ts"].spark.transform(F.unix_micros)
        previous = readings.groupby(TRIP_KEYS)[["event_us", "speed_mph"]].shift(1)
        previous.columns = ["previous_event_us", "previous_speed_mph"]
        readings = readings.join(previous)
        step_seconds = (readings["event_us"] - readings["previous_event_us"]) / MICROS_PER_SECOND
        readings["step_miles"] = (
            (readings["previous_speed_mph"] + readings["speed_mph"]) / 2 * step_seconds / SECONDS_PER_HOUR
        )
        trips = readings.groupby(TRIP_KEYS, as_index=False).agg(
            trip_start_ts=("event_ts", "min"),
            trip_end_ts=("event_ts", "max"),
            first_event_us=("event_us", "min"),
            last_event_us=("event_us", "max"),
            reading_count=("speed_mph", "count"),
            distance_miles=("step_miles", "sum"),
            max_speed_mph=("speed_mph", "max"),
        )
        trips["trip_seconds"] = (trips["last_event_us"] - trips["first_event_us"]) / MICROS_PER_SECOND
        trip_hours = trips["trip_seconds"].where(trips["trip_seconds"] > 0) / SECONDS_PER_HOUR
        trips["avg_speed_mph"] = trips["distance_miles"] / trip_hours
        trips["avg_speed_kmh"] = trips["avg_speed_mph"] * KM_PER_MILE
        columns = [
            *TRIP_KEYS,
            "trip_start_ts",
            "trip_end_ts",
            "reading_count",
            "trip_seconds",
            "distance_miles",
            "avg_speed_mph",
            "avg_speed_kmh",
            "max_speed_mph",
        ]
        result = trips[columns].to_spark()
    return _null_nan(result, ["avg_speed_mph", "avg_speed_kmh"])


def describe_trips(trips: DataFrame) -> DataFrame:
    """pandas' describe() over trips, one row per trip measure (TRIP_METRICS).

    count, mean, sample standard deviation, min, quartiles and max of each measure; the quartiles
    are Spark's percentile_approx at its default accuracy (exact below 10,000 trips: the smallest
    value with at least that share of trips at or below it).
    """
    with pandas_on_spark():
        described = trips.pandas_api()[TRIP_METRICS].describe()
        summary = described.T.reset_index().rename(columns={"index": "metric_name", **SUMMARY_COLUMNS})
        summary["trip_count"] = summary["trip_count"].astype("int64")
        result = summary[["metric_name", *SUMMARY_COLUMNS.values()]].to_spark()
    return _null_nan(result, [name for name in SUMMARY_COLUMNS.values() if name != "trip_count"])
