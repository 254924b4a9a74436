"""Chapter 3's speech clips: energy envelopes, the three distances against oracles, and the book's order."""

from __future__ import annotations

import io
import math
import wave
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from casebook.data.dtw import speech_clips, write_dtw
from casebook.dtw import clips
from casebook.dtw.settings import DtwSettings
from casebook.settings import from_project
from pytests.dtw.clip_reference import oracle_dtw, oracle_euclidean


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes((samples * 32767).round().astype("<i2").tobytes())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def settings() -> DtwSettings:
    return from_project(DtwSettings)


@pytest.fixture(scope="module")
def landed_clips() -> pd.DataFrame:
    return speech_clips()


@pytest.fixture(scope="module")
def table(landed_clips: pd.DataFrame, settings: DtwSettings) -> pd.DataFrame:
    return clips.clip_distance_table(
        landed_clips, settings.clip_frame_ms, settings.clip_stretch_factor, settings.clip_fastdtw_radius
    ).set_index("clip_id")


@pytest.fixture(scope="module")
def series(landed_clips: pd.DataFrame, settings: DtwSettings) -> dict[int, np.ndarray]:
    return {
        int(row.clip_id): clips.clip_series(row.wav, settings.clip_frame_ms)[0]
        for row in landed_clips.itertuples()
    }


def test_frame_energies_are_the_rms_of_10_ms_frames_with_silent_ends_cut() -> None:
    rate = 8000
    tone = 0.5 * np.sin(2 * np.pi * 200 * np.arange(rate // 2) / rate)  # 0.5 s, whole periods per frame
    quiet = 0.1 * np.sin(2 * np.pi * 200 * np.arange(rate // 4) / rate)
    samples = np.concatenate([np.zeros(rate // 10), tone, quiet, np.zeros(rate // 5 + 13)])
    energies = clips.frame_energies(samples, rate, 10)
    assert len(energies) == 50 + 25  # 100 ms of silence before and 200 ms after are cut off
    np.testing.assert_allclose(energies[:50], 0.5 / math.sqrt(2), rtol=1e-9)
    np.testing.assert_allclose(energies[50:], 0.1 / math.sqrt(2), rtol=1e-9)


def test_frame_energies_refuse_a_silent_clip_and_a_bad_frame_length() -> None:
    with pytest.raises(ValueError, match="silent"):
        clips.frame_energies(np.zeros(1000), 8000, 10)
    with pytest.raises(ValueError, match="frame_ms"):
        clips.frame_energies(np.ones(1000), 8000, 0)


def test_read_wav_returns_the_samples_and_rate_and_refuses_stereo() -> None:
    samples = np.array([0.0, 0.5, -0.5, 0.25])
    values, rate = clips.read_wav(wav_bytes(samples, 16000))
    assert rate == 16000
    np.testing.assert_allclose(values, samples * 32767 / 32768, atol=1e-4)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"\0\0\0\0")
    with pytest.raises(ValueError, match="16-bit mono"):
        clips.read_wav(buffer.getvalue())


@pytest.mark.parametrize(
    ("n", "m", "radius"), [(30, 30, 0), (30, 30, 3), (25, 40, 2), (40, 25, 5), (17, 9, 0)]
)
def test_exact_dtw_matches_the_oracle_on_unequal_lengths(n: int, m: int, radius: int) -> None:
    rng = np.random.default_rng(n * 100 + m + radius)
    x, y = rng.normal(size=n).cumsum(), rng.normal(size=m).cumsum()
    assert clips.exact_dtw(x, y, radius) == pytest.approx(oracle_dtw(x, y, radius), rel=1e-9)


def test_fastdtw_is_a_real_path_never_below_the_unbanded_optimum() -> None:
    rng = np.random.default_rng(3)
    for _ in range(5):
        x, y = rng.normal(size=60).cumsum(), rng.normal(size=45).cumsum()
        assert clips.fastdtw_distance(x, y, 2) >= oracle_dtw(x, y, None) - 1e-9


def test_resampled_euclidean_matches_the_oracle() -> None:
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=37), rng.normal(size=52)
    assert clips.resampled_euclidean(x, y) == pytest.approx(oracle_euclidean(x, y), rel=1e-9)


def test_band_radius_is_the_stretch_of_the_longer_clip_rounded_up() -> None:
    assert clips.band_radius(0.1, 417, 638) == 64
    assert clips.band_radius(0.0, 417, 389) == 0
    with pytest.raises(ValueError, match="stretch_factor"):
        clips.band_radius(1.5, 10, 10)


def test_a_missing_espeak_ng_is_one_sentence_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(clips.SpeechSynthesisError, match="apt-get install espeak-ng"):
        clips.synthesize(clips.CLIPS[0])


def test_the_clips_land_as_one_raw_table_and_say_the_same_each_time(tmp_path: Path) -> None:
    counts = write_dtw(tmp_path, "tiny", 1)
    assert counts == {"speech_clips": 4}
    landed = pd.read_parquet(tmp_path / "dtw" / "speech_clips")
    again = speech_clips()
    assert landed["clip_id"].tolist() == [1, 2, 3, 4]
    assert landed["sentence_id"].tolist() == [1, 1, 2, 1]
    assert [bytes(w) for w in landed["wav"]] == [bytes(w) for w in again["wav"]]


def test_the_clip_distances_match_the_oracles(
    table: pd.DataFrame, series: dict[int, np.ndarray], settings: DtwSettings
) -> None:
    reference = series[1]
    for clip_id in (2, 3, 4):
        row = table.loc[clip_id]
        assert row["frame_count"] == len(series[clip_id])
        exact = oracle_dtw(series[clip_id], reference, int(row["band_radius_frames"]))
        assert row["exact_dtw_distance"] == pytest.approx(exact, rel=1e-9)
        assert row["fastdtw_distance"] >= oracle_dtw(series[clip_id], reference, None) - 1e-9
        assert row["euclidean_distance"] == pytest.approx(
            oracle_euclidean(series[clip_id], reference), rel=1e-9
        )
    assert table.loc[1, ["exact_dtw_distance", "fastdtw_distance", "euclidean_distance"]].tolist() == [
        0,
        0,
        0,
    ]


@pytest.mark.parametrize("column", ["exact_dtw_distance", "fastdtw_distance"])
def test_dtw_orders_the_clips_as_the_book_does(table: pd.DataFrame, column: str) -> None:
    distance = table[column]
    assert distance[4] < distance[3] < distance[2]


def test_dtw_tells_the_exaggerated_sentence_from_the_other_sentence_where_euclidean_does_not(
    table: pd.DataFrame,
) -> None:
    """Clip 2 (sentence 1, exaggerated, slower and uneven) and clip 3 (sentence 2, clip 1's pace):
    resampled to clip 1's length, their Euclidean distances to clip 1 lie within 5 % of each other, so
    Euclidean matching cannot say which one differs more; both DTW distances of clip 2 exceed clip 3's
    by more than 15 %. Every distance also puts clip 4 (sentence 1 again) below half of clip 3's."""

    def gap(column: str) -> float:
        return (table.loc[2, column] - table.loc[3, column]) / table.loc[3, column]

    assert abs(gap("euclidean_distance")) < 0.05
    assert gap("exact_dtw_distance") > 0.15
    assert gap("fastdtw_distance") > 0.15
    for column in ("exact_dtw_distance", "fastdtw_distance", "euclidean_distance"):
        assert table.loc[4, column] < 0.5 * table.loc[3, column]
