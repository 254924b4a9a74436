"""The forecasting domain's settings: the dbt vars `forecasting_*` (defaults in dbt_project.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from casebook.forecasting.prophet_fit import ProphetSettings
from casebook.forecasting.series import ForecastConfig


@dataclass(frozen=True)
class ForecastingSettings:
    VAR_PREFIX: ClassVar[str] = "forecasting_"

    horizon_days: int
    training_cutoff_date: date | None
    gap_policy: str
    min_training_days: int
    interval_width: float
    uncertainty_samples: int
    holiday_country: str | None
    seed: int
    cv_cutoffs: int
    cv_period_days: int
    cv_horizon_days: int
    ensemble_size: int
    selection_scope: str
    order_weekday: str
    lead_time_days: int
    cycle_days: int
    mlflow_experiment: str

    def forecast_config(self) -> ForecastConfig:
        """What every series' fit and cross-validation share."""
        prophet = ProphetSettings(
            interval_width=self.interval_width,
            uncertainty_samples=self.uncertainty_samples,
            holiday_country=self.holiday_country,
        )
        return ForecastConfig(
            prophet=prophet,
            horizon_days=self.horizon_days,
            seed=self.seed,
            cv_cutoffs=self.cv_cutoffs,
            cv_period_days=self.cv_period_days,
            cv_horizon_days=self.cv_horizon_days,
        )

    def run_params(self) -> dict[str, object]:
        """The MLflow params of a training run."""
        return {
            "horizon_days": self.horizon_days,
            "gap_policy": self.gap_policy,
            "min_training_days": self.min_training_days,
            "interval_width": self.interval_width,
            "uncertainty_samples": self.uncertainty_samples,
            "holiday_country": self.holiday_country or "",
            "seed": self.seed,
            "cv_cutoffs": self.cv_cutoffs,
            "cv_horizon_days": self.cv_horizon_days,
            "ensemble_size": self.ensemble_size,
            "selection_scope": self.selection_scope,
            "order_weekday": self.order_weekday,
            "lead_time_days": self.lead_time_days,
            "cycle_days": self.cycle_days,
        }
