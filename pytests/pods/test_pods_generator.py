"""Behaviour of the synthetic pod telemetry generator: determinism, size, trip shape, bad rows, Parquet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from casebook.data.pods import SCALES, generate_pods, write_pods

SEED = 7
KEYS = ["pod_id", "trip_id", "event_ts"]


@pytest.fixture(scope="module")
def tiny() -> pd.DataFrame:
    return generate_pods("tiny", SEED)


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    usable = frame.notna().all(axis=1) & (frame["speed_mph"] >= 0)
    return frame[usable].drop_duplicates(KEYS)


def test_same_seed_gives_identical_rows_and_another_seed_differs(tiny: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(tiny, generate_pods("tiny", SEED))
    assert not tiny.equals(generate_pods("tiny", SEED + 1))


def test_medium_holds_over_a_million_readings_and_tiny_stays_small(tiny: pd.DataFrame) -> None:
    assert SCALES["medium"].approx_readings > 1_000_000
    assert 1_000 < len(tiny) < 5_000
    assert tiny["trip_id"].dropna().nunique() == 3 * 4
    with pytest.raises(
        ValueError, match="Unknown pods scale 'huge': expected one of tiny, small, medium, large"
    ):
        generate_pods("huge", 1)


def test_trips_start_and_end_at_rest_with_uneven_millisecond_steps(tiny: pd.DataFrame) -> None:
    clean = _clean(tiny).sort_values(KEYS)
    for _, trip in clean.groupby("trip_id"):
        assert trip["speed_mph"].iloc[0] == 0.0 and trip["speed_mph"].iloc[-1] == 0.0
        assert trip["speed_mph"].max() > 10
        steps = trip["event_ts"].diff().dropna().dt.total_seconds()
        assert steps.min() > 0.05 and steps.max() >= 0.15  # jitter, and some dropped readings
        assert (trip["event_ts"].dt.microsecond % 1000 == 0).all()
    assert all(trip.startswith(pod) for pod, trip in zip(clean["pod_id"], clean["trip_id"], strict=True))


def test_every_bad_row_kind_is_injected(tiny: pd.DataFrame) -> None:
    assert tiny["pod_id"].isna().any() and tiny["trip_id"].isna().any()
    assert tiny["event_ts"].isna().any()
    assert tiny["speed_mph"].isna().any()
    assert (tiny["speed_mph"] < 0).any()
    usable = tiny.dropna()
    usable = usable[usable["speed_mph"] >= 0]
    assert usable.duplicated(KEYS).any()
    bad = len(tiny) - len(_clean(tiny))
    assert 5 <= bad < 0.02 * len(tiny)


def test_written_parquet_has_spark_readable_types(tmp_path: Path, tiny: pd.DataFrame) -> None:
    counts = write_pods(tmp_path, "tiny", SEED)
    folder = tmp_path / "pods" / "telemetry"
    table = pq.read_table(folder)
    assert counts == {"telemetry": len(tiny)} and table.num_rows == len(tiny)
    assert str(table.schema.field("event_ts").type) == "timestamp[us, tz=UTC]"
    assert len(list(folder.glob("part-*.parquet"))) == SCALES["tiny"].pods
    np.testing.assert_array_equal(
        table.column("speed_mph").to_numpy(zero_copy_only=False), tiny["speed_mph"].to_numpy()
    )
