"""The members domain's settings: the dbt vars `members_*` (defaults in dbt_project.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from casebook.members.ranking import ModelSettings


@dataclass(frozen=True)
class MembersSettings:
    VAR_PREFIX: ClassVar[str] = "members_"

    event_types: tuple[str, ...]
    feature_windows_days: tuple[int, ...]
    label_window_days: int
    training_snapshots: int
    as_of_date: date | None
    top_n: int
    popularity_window_days: int
    regularization_c: float
    min_abs_weight: float
    selection_tolerance: float
    validation_share: float
    seed: int

    def model_settings(self) -> ModelSettings:
        """What every product's purchase model shares."""
        return ModelSettings(
            regularization_c=self.regularization_c,
            min_abs_weight=self.min_abs_weight,
            selection_tolerance=self.selection_tolerance,
            validation_share=self.validation_share,
            seed=self.seed,
        )
