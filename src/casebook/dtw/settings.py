"""The DTW domain's settings: the dbt vars `dtw_*` (defaults in dbt_project.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class DtwSettings:
    VAR_PREFIX: ClassVar[str] = "dtw_"

    outlier_abs_zscore: float
    candidate_max_distance_zscore: float
    capacity_band_ratio: float
    extremes_top_n: int
    mlflow_experiment: str
    clip_frame_ms: int
    clip_stretch_factor: float
    clip_fastdtw_radius: int
