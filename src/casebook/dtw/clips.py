"""Chapter 3's speech clips: four spoken sentences, their energy envelopes and DTW distances to clip 1.

The book opens chapter 3 with four recordings: a sentence said normally (clip 1), the same sentence with
exaggerated tone and an uneven, slower pace (clip 2), a different sentence in the same voice and pace
(clip 3), and the first sentence said again much like clip 1 (clip 4). Casebook synthesises them with
Debian's `espeak-ng` (no recorded or copyrighted audio), from the SSML in CLIPS, as 16-bit mono WAV.

A clip becomes a time series of frame energies: the root mean square of the samples in consecutive,
non-overlapping frames of `frame_ms` milliseconds (10 ms = 100 frames a second), with the silent frames
before the first and after the last frame louder than SILENCE_SHARE of the clip's loudest frame cut off.
Every distance is taken between z-normalised series (mean 0, population sd 1), so loudness does not count:

* exact DTW (casebook.dtw.distance's definition, computed by dtaidistance): the square root of the
  smallest sum of squared differences along a warping path from (0, 0) to (n-1, m-1) in steps (1, 0),
  (0, 1), (1, 1), inside a Sakoe-Chiba band of radius r = ceil(stretch_factor * longer length) frames.
  For clips of unequal length the band is dtaidistance's: frame i of the clip (n frames) may meet frame
  j of clip 1 (m frames) when -r - max(0, n - m) <= j - i <= r + max(0, m - n), that is within r of
  the diagonal out of (0, 0), of the diagonal into (n-1, m-1), or between the two;
* fastdtw (the book's library): the square root of the sum of squared differences along the path
  fastdtw finds at the given radius (an approximation, never below the unbanded exact DTW);
* Euclidean: the other clip's series resampled by linear interpolation to clip 1's number of frames,
  then the square root of the sum of squared differences, frame by frame.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from dtaidistance import dtw
from fastdtw import fastdtw

from casebook.dtw.distance import znormalize

VOICE = "en-us"
WORDS_PER_MINUTE = 150
PITCH = 50  # espeak-ng's 0-99 scale
SILENCE_SHARE = 0.02

SENTENCE_1 = "Dynamic time warping lines up two recordings of the same sentence."
SENTENCE_2 = "A different sentence has its own rhythm and stress."


@dataclass(frozen=True)
class ClipSpec:
    """One clip: its number, the sentence it says, how it is said, and the SSML espeak-ng speaks."""

    clip_id: int
    sentence_id: int
    delivery: str
    speed: int
    pitch: int
    ssml: str


def _speak(body: str) -> str:
    return f'<speak version="1.0" xml:lang="en-US">{body}</speak>'


# Clip 2 says sentence 1 slower, in five stretches of uneven speed, pitch, pitch range and loudness.
_EXAGGERATED = "".join(
    f'<prosody rate="{rate}%" pitch="{pitch}" range="x-high" volume="{volume}">{words}</prosody> '
    for words, rate, pitch, volume in (
        ("Dynamic", 45, "x-high", "x-loud"),
        ("time warping", 85, "low", "soft"),
        ("lines up", 40, "x-high", "x-loud"),
        ("two recordings of", 90, "x-low", "medium"),
        ("the same sentence.", 35, "x-high", "x-loud"),
    )
)

CLIPS: tuple[ClipSpec, ...] = (
    ClipSpec(1, 1, "sentence 1, said normally", WORDS_PER_MINUTE, PITCH, _speak(SENTENCE_1)),
    ClipSpec(
        2,
        1,
        "sentence 1, exaggerated pitch and loudness, slower and uneven pace",
        WORDS_PER_MINUTE,
        PITCH,
        _speak(_EXAGGERATED.strip()),
    ),
    ClipSpec(3, 2, "sentence 2, same voice and pace as clip 1", WORDS_PER_MINUTE, PITCH, _speak(SENTENCE_2)),
    ClipSpec(
        4,
        1,
        "sentence 1 again, slightly faster and higher",
        WORDS_PER_MINUTE + 10,
        PITCH + 6,
        _speak(SENTENCE_1),
    ),
)


class SpeechSynthesisError(RuntimeError):
    """espeak-ng is missing or failed: the clips cannot be made."""


def synthesize(spec: ClipSpec) -> bytes:
    """The clip as WAV bytes (16-bit mono), spoken by espeak-ng from its SSML."""
    program = shutil.which("espeak-ng")
    if program is None:
        raise SpeechSynthesisError(
            "espeak-ng is not installed, so the DTW speech clips cannot be made: install it "
            "(Debian: apt-get install espeak-ng, or `make system-deps` as root) and run again."
        )
    command = [program, "-m", "-v", VOICE, "-s", str(spec.speed), "-p", str(spec.pitch), "--stdout"]
    result = subprocess.run(command, input=spec.ssml.encode(), capture_output=True, check=False)
    if result.returncode != 0 or not result.stdout:
        reason = result.stderr.decode(errors="replace").strip() or f"exit code {result.returncode}"
        raise SpeechSynthesisError(f"espeak-ng could not speak clip {spec.clip_id} ({reason}).")
    return result.stdout


def read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """The samples of a 16-bit mono WAV as floats in [-1, 1), and its sample rate in Hz."""
    with wave.open(io.BytesIO(data)) as reader:
        if reader.getsampwidth() != 2 or reader.getnchannels() != 1:
            raise ValueError(
                f"a speech clip must be 16-bit mono WAV, got {8 * reader.getsampwidth()}-bit with "
                f"{reader.getnchannels()} channels"
            )
        rate = reader.getframerate()
        # espeak-ng writes its streaming header's frame count as 0x7fffffff: read what is there.
        frames = reader.readframes(reader.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0, rate


def frame_energies(samples: Sequence[float] | np.ndarray, sample_rate: int, frame_ms: int) -> np.ndarray:
    """RMS of each whole frame of frame_ms milliseconds, with leading and trailing silent frames cut off."""
    if frame_ms <= 0:
        raise ValueError(f"frame_ms must be a positive number of milliseconds, got {frame_ms}")
    values = np.asarray(samples, dtype=np.float64)
    size = sample_rate * frame_ms // 1000
    count = len(values) // size
    if size == 0 or count == 0:
        raise ValueError(f"a clip of {len(values)} samples at {sample_rate} Hz has no {frame_ms} ms frame")
    rms = np.sqrt(np.mean(values[: count * size].reshape(count, size) ** 2, axis=1))
    loud = np.flatnonzero(rms > SILENCE_SHARE * rms.max())
    if len(loud) == 0:
        raise ValueError("the clip is silent: it has no frame to compare")
    return rms[loud[0] : loud[-1] + 1]


def band_radius(stretch_factor: float, length: int, other_length: int) -> int:
    """Sakoe-Chiba radius in frames: ceil(stretch_factor * the longer of the two lengths)."""
    if not 0.0 <= stretch_factor <= 1.0:
        raise ValueError(f"stretch_factor must lie in [0, 1], got {stretch_factor}")
    return math.ceil(round(stretch_factor * max(length, other_length), 9))


def exact_dtw(series: np.ndarray, reference: np.ndarray, radius: int) -> float:
    """Exact DTW (module docstring) of the z-normalised series, of any lengths, within band radius r."""
    if radius < 0:
        raise ValueError(f"radius must be at least 0, got {radius}")
    x, y = znormalize(series), znormalize(reference)
    return float(dtw.distance_fast(x, y, window=radius + 1, use_pruning=False))


def fastdtw_distance(series: np.ndarray, reference: np.ndarray, radius: int) -> float:
    """fastdtw's approximate DTW of the z-normalised series: sqrt of the squared costs on its path."""
    x, y = znormalize(series), znormalize(reference)
    _, path = fastdtw(x, y, radius=radius)
    steps = np.asarray(path)
    return float(np.sqrt(np.sum((x[steps[:, 0]] - y[steps[:, 1]]) ** 2)))


def resampled_euclidean(series: np.ndarray, reference: np.ndarray) -> float:
    """Euclidean distance of the z-normalised series after resampling `series` to the reference's length."""
    x = np.asarray(series, dtype=np.float64)
    positions = np.linspace(0.0, len(x) - 1, num=len(reference))
    resampled = np.interp(positions, np.arange(len(x)), x)
    return float(np.linalg.norm(znormalize(resampled) - znormalize(reference)))


@dataclass(frozen=True)
class ClipDistance:
    clip_id: int
    frame_count: int
    band_radius_frames: int
    exact_dtw_distance: float
    fastdtw_distance: float
    euclidean_distance: float


def distances_to_first(
    series: dict[int, np.ndarray], stretch_factor: float, fastdtw_radius: int
) -> list[ClipDistance]:
    """Each clip's distances to clip 1 (clip 1 itself included, at distance 0), by clip number."""
    if 1 not in series:
        raise ValueError("the clips have no clip 1 to compare with")
    reference = series[1]
    rows = []
    for clip_id in sorted(series):
        clip = series[clip_id]
        radius = band_radius(stretch_factor, len(clip), len(reference))
        rows.append(
            ClipDistance(
                clip_id=clip_id,
                frame_count=len(clip),
                band_radius_frames=radius,
                exact_dtw_distance=exact_dtw(clip, reference, radius),
                fastdtw_distance=fastdtw_distance(clip, reference, fastdtw_radius),
                euclidean_distance=resampled_euclidean(clip, reference),
            )
        )
    return rows


# The clip distances table: column -> Spark type.
TABLE_COLUMNS: dict[str, str] = {
    "clip_id": "int",
    "sentence_id": "int",
    "delivery": "string",
    "sample_rate_hz": "int",
    "frame_ms": "int",
    "frame_count": "int",
    "spoken_seconds": "double",
    "stretch_factor": "double",
    "band_radius_frames": "int",
    "fastdtw_radius": "int",
    "exact_dtw_distance": "double",
    "fastdtw_distance": "double",
    "euclidean_distance": "double",
}


def clip_series(wav: bytes, frame_ms: int) -> tuple[np.ndarray, int]:
    """A clip's frame energies (frame_energies) and its sample rate."""
    samples, rate = read_wav(bytes(wav))
    return frame_energies(samples, rate, frame_ms), rate


def clip_distance_table(
    clips: pd.DataFrame, frame_ms: int, stretch_factor: float, fastdtw_radius: int
) -> pd.DataFrame:
    """One row per clip (columns clip_id, sentence_id, delivery, wav) with its distances to clip 1."""
    duplicated = clips["clip_id"][clips["clip_id"].duplicated()]
    if not duplicated.empty:
        raise ValueError(f"speech clip {int(duplicated.iloc[0])} appears twice: land the clips again")
    series, rates = {}, {}
    for row in clips.itertuples(index=False):
        series[int(row.clip_id)], rates[int(row.clip_id)] = clip_series(row.wav, frame_ms)
    distances = {d.clip_id: d for d in distances_to_first(series, stretch_factor, fastdtw_radius)}
    rows = []
    for row in clips.sort_values("clip_id").itertuples(index=False):
        clip_id = int(row.clip_id)
        distance = distances[clip_id]
        rows.append(
            {
                "clip_id": clip_id,
                "sentence_id": int(row.sentence_id),
                "delivery": row.delivery,
                "sample_rate_hz": rates[clip_id],
                "frame_ms": frame_ms,
                "frame_count": distance.frame_count,
                "spoken_seconds": distance.frame_count * frame_ms / 1000.0,
                "stretch_factor": float(stretch_factor),
                "band_radius_frames": distance.band_radius_frames,
                "fastdtw_radius": fastdtw_radius,
                "exact_dtw_distance": distance.exact_dtw_distance,
                "fastdtw_distance": distance.fastdtw_distance,
                "euclidean_distance": distance.euclidean_distance,
            }
        )
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return table.astype({name: "int32" for name, kind in TABLE_COLUMNS.items() if kind == "int"})
