"""The ticks domain's settings: the dbt vars `ticks_*` (defaults in dbt_project.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class TicksSettings:
    VAR_PREFIX: ClassVar[str] = "ticks_"

    quote_tolerance_seconds: float | None
    exchange_timezone: str
    market_open: str
    market_close: str
    feature_windows_seconds: tuple[int, ...]
    ofi_anomaly_lower_quantile: float
    ofi_anomaly_upper_quantile: float
    ofi_heatmap_bucket_minutes: int
