"""Deterministic synthetic pod telemetry: speed readings of test pods along a track (chapter 8).

The same (scale, seed) always gives the same rows. One raw table lands under raw/pods/telemetry:
one row per speed reading, (event_ts, pod_id, trip_id, speed_mph). A trip is one run of one pod:
it accelerates to a cruise speed, cruises and brakes to a stop, read about ten times a second
(intervals jitter by up to 20 ms and the link drops a reading now and then, so the time steps are
uneven, which is why distance must integrate speed over the actual time differences).

Injected bad rows (the pipeline must quarantine them), about 0.2 % of the readings per kind:
readings with a missing pod or trip id, a missing timestamp, a missing speed, a negative speed,
and exact duplicate deliveries. The first pod always carries at least one of every kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from casebook.data.lake import replace_folder, write_frame
from casebook.data.scales import scale_of

__all__ = ["BAD_ROW_KINDS", "SCALES", "PodScale", "generate_pods", "write_pods"]

FIRST_TRIP_START = datetime(2024, 3, 4, 8, 0, tzinfo=UTC)
READING_INTERVAL_SECONDS = 0.1
_JITTER_SECONDS = 0.02
_DROPOUT_SHARE = 0.01  # readings the link loses
_BAD_RATE = 0.002
_MAX_ACCELERATION_MPH_PER_S = 20.0  # about 0.9 g

BAD_ROW_KINDS = (
    "missing_key",  # added copy with a null pod_id or trip_id
    "missing_event_ts",  # added copy with a null timestamp
    "missing_speed",  # added copy with a null speed
    "negative_speed",  # added copy with the speed negated (and at least 1 mph below zero)
    "duplicate_reading",  # added exact copy
)

SCHEMA = pa.schema(
    [
        ("event_ts", pa.timestamp("us", tz="UTC")),
        ("pod_id", pa.string()),
        ("trip_id", pa.string()),
        ("speed_mph", pa.float64()),
    ]
)


@dataclass(frozen=True)
class PodScale:
    """Size of a generated data set: pods x trips per pod, each trip about mean_trip_seconds long."""

    pods: int
    trips_per_pod: int
    mean_trip_seconds: float

    @property
    def approx_readings(self) -> int:
        """Rough number of clean readings (trip lengths are random)."""
        return int(self.pods * self.trips_per_pod * self.mean_trip_seconds / READING_INTERVAL_SECONDS)


SCALES: dict[str, PodScale] = {
    "tiny": PodScale(pods=3, trips_per_pod=4, mean_trip_seconds=20.0),  # ~2,400 readings
    "small": PodScale(pods=10, trips_per_pod=20, mean_trip_seconds=60.0),  # ~120,000
    "medium": PodScale(pods=40, trips_per_pod=50, mean_trip_seconds=60.0),  # ~1.2 million
    "large": PodScale(pods=100, trips_per_pod=200, mean_trip_seconds=60.0),  # ~12 million
}


def generate_pods(scale: str, seed: int) -> pd.DataFrame:
    """The raw telemetry of a scale (clean readings plus injected bad rows), fine up to `medium`."""
    return pd.concat(list(_iter_pods(scale, seed)), ignore_index=True)


def write_pods(raw_dir: Path, scale: str, seed: int) -> dict[str, int]:
    """Write raw_dir/pods/telemetry/part-NNNNN.parquet (one file per pod); return the row count."""
    scale_of(SCALES, scale, "pods")
    folder = Path(raw_dir) / "pods" / "telemetry"
    replace_folder(folder)
    rows = 0
    for part, frame in enumerate(_iter_pods(scale, seed)):
        write_frame(frame, folder, part, schema=SCHEMA)
        rows += len(frame)
    return {"telemetry": rows}


# --------------------------------------------------------------------------- generation


def _iter_pods(scale_name: str, seed: int) -> Iterator[pd.DataFrame]:
    """Yield the telemetry of each pod in turn: its trips one after another, then its bad rows."""
    scale = scale_of(SCALES, scale_name, "pods")
    for index, child in enumerate(np.random.SeedSequence(seed).spawn(scale.pods)):
        rng = np.random.default_rng(child)
        pod_id = f"POD{index + 1:03d}"
        trips, start = [], pd.Timestamp(FIRST_TRIP_START) + pd.Timedelta(minutes=index)
        for trip in range(scale.trips_per_pod):
            readings = _trip(rng, scale.mean_trip_seconds, start)
            readings.insert(1, "pod_id", pod_id)
            readings.insert(2, "trip_id", f"{pod_id}-T{trip + 1:04d}")
            trips.append(readings)
            pause = pd.Timedelta(minutes=float(rng.uniform(5, 30))).round("ms")
            start = readings["event_ts"].iloc[-1] + pause
        clean = pd.concat(trips, ignore_index=True)
        yield _inject_bad_rows(rng, clean, ensure_every_kind=index == 0)


def _trip(rng: np.random.Generator, mean_seconds: float, start: pd.Timestamp) -> pd.DataFrame:
    """One run: accelerate to a cruise speed, cruise, brake to a stop; readings at uneven steps."""
    duration = float(rng.uniform(0.5, 1.5) * mean_seconds)
    cruise_mph = float(rng.uniform(80.0, 300.0))
    accel = float(rng.uniform(0.4, 1.0) * _MAX_ACCELERATION_MPH_PER_S)
    brake = float(rng.uniform(0.4, 1.0) * _MAX_ACCELERATION_MPH_PER_S)
    # Keep the cruise reachable within the trip: at most 80 % of the time spent speeding up or braking.
    cruise_mph = min(cruise_mph, 0.8 * duration / (1.0 / accel + 1.0 / brake))
    steps = int(duration / READING_INTERVAL_SECONDS)
    offsets = np.arange(steps + 1) * READING_INTERVAL_SECONDS
    offsets[1:-1] += rng.uniform(-_JITTER_SECONDS, _JITTER_SECONDS, steps - 1)
    offsets = np.round(offsets, 3)  # millisecond timestamps
    keep = np.ones(offsets.size, dtype=bool)
    keep[1:-1] = rng.random(offsets.size - 2) >= _DROPOUT_SHARE  # the first and last reading always arrive
    offsets = offsets[keep]
    end = offsets[-1]
    ideal = np.minimum.reduce([np.full(offsets.size, cruise_mph), accel * offsets, brake * (end - offsets)])
    noise = rng.normal(0.0, 0.5, offsets.size) * (ideal > 0)
    speed = np.round(np.clip(ideal + noise, 0.0, None), 3)
    timestamps = start + pd.to_timedelta(np.round(offsets * 1000).astype(np.int64), unit="ms")
    return pd.DataFrame({"event_ts": timestamps, "speed_mph": speed})


# --------------------------------------------------------------------------- bad rows


def _inject_bad_rows(rng: np.random.Generator, clean: pd.DataFrame, ensure_every_kind: bool) -> pd.DataFrame:
    """The pod's clean readings followed by added copies of some of them, one group per bad kind."""
    added = []
    for kind in BAD_ROW_KINDS:
        count = max(int(rng.binomial(len(clean), _BAD_RATE)), int(ensure_every_kind))
        if kind == "missing_key":
            count = max(count, 2 * ensure_every_kind)  # a missing pod and a missing trip
        picked = np.sort(rng.choice(len(clean), size=min(count, len(clean)), replace=False))
        copies = clean.iloc[picked].copy()
        if kind == "missing_key":
            copies.loc[copies.index[0::2], "pod_id"] = None
            copies.loc[copies.index[1::2], "trip_id"] = None
        elif kind == "missing_event_ts":
            copies["event_ts"] = pd.Series(pd.NaT, index=copies.index, dtype=clean["event_ts"].dtype)
        elif kind == "missing_speed":
            copies["speed_mph"] = np.nan
        elif kind == "negative_speed":
            copies["speed_mph"] = -copies["speed_mph"] - 1.0
        added.append(copies)
    frame = pd.concat([clean, *added], ignore_index=True)
    return frame[["event_ts", "pod_id", "trip_id", "speed_mph"]]
