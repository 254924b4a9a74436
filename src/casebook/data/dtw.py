"""The DTW domain's raw data: chapter 3's four speech clips, spoken by espeak-ng (casebook.dtw.clips).

One raw table lands under raw/dtw/speech_clips: one row per clip with its WAV bytes and how it was
said. The clips are the same at every scale and seed: espeak-ng speaks the same SSML the same way.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from casebook.data.lake import replace_folder, write_frame
from casebook.data.scales import scale_of
from casebook.dtw import clips

# The clips are the same at every scale; the names are the other domains', so every scale is known.
SCALES = {name: name for name in ("tiny", "small", "medium", "large")}
SCHEMA = pa.schema(
    [
        ("clip_id", pa.int32()),
        ("sentence_id", pa.int32()),
        ("delivery", pa.string()),
        ("espeak_voice", pa.string()),
        ("espeak_speed_wpm", pa.int32()),
        ("espeak_pitch", pa.int32()),
        ("ssml", pa.string()),
        ("wav", pa.binary()),
    ]
)


def speech_clips() -> pd.DataFrame:
    """The four clips as rows of the raw table, synthesised now."""
    rows = [
        {
            "clip_id": spec.clip_id,
            "sentence_id": spec.sentence_id,
            "delivery": spec.delivery,
            "espeak_voice": clips.VOICE,
            "espeak_speed_wpm": spec.speed,
            "espeak_pitch": spec.pitch,
            "ssml": spec.ssml,
            "wav": clips.synthesize(spec),
        }
        for spec in clips.CLIPS
    ]
    return pd.DataFrame(rows, columns=SCHEMA.names)


def write_dtw(raw_dir: Path, scale: str, seed: int) -> dict[str, int]:
    """Write raw_dir/dtw/speech_clips/part-00000.parquet; scale and seed do not change the clips."""
    scale_of(SCALES, scale, "dtw")
    folder = Path(raw_dir) / "dtw" / "speech_clips"
    replace_folder(folder)
    frame = speech_clips()
    write_frame(frame, folder, schema=SCHEMA)
    return {"speech_clips": len(frame)}
