"""The stations domain's settings: the dbt vars `stations_*` (defaults in dbt_project.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from casebook.stations.bakeoff import BakeoffSettings


@dataclass(frozen=True)
class StationsSettings:
    VAR_PREFIX: ClassVar[str] = "stations_"

    top_n: int
    history_days: int
    horizon_hours: int
    forecast_start_ts: str | None
    seed: int
    rf_trees: int
    holiday_country: str
    mlflow_experiment: str

    def bakeoff(self, forecast_start: datetime) -> BakeoffSettings:
        """What every station's bake-off shares, from `forecast_start` on."""
        return BakeoffSettings(
            forecast_start=forecast_start,
            history_days=self.history_days,
            horizon_hours=self.horizon_hours,
            seed=self.seed,
            trees=self.rf_trees,
            holiday_country=self.holiday_country,
        )

    def run_params(self) -> dict[str, object]:
        """The MLflow params of a bake-off run."""
        return {
            "history_days": self.history_days,
            "horizon_hours": self.horizon_hours,
            "top_n": self.top_n,
            "seed": self.seed,
            "trees": self.rf_trees,
            "holiday_country": self.holiday_country,
        }
