"""The fraud domain's settings: the dbt vars `fraud_*` (defaults in dbt_project.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from casebook.fraud.training import TrainingSettings


@dataclass(frozen=True)
class FraudSettings:
    VAR_PREFIX: ClassVar[str] = "fraud_"

    rule_origin_balance: int
    rule_empty_dest_balance: int
    rule_emptied_origin_balance: int
    rule_large_amount: int
    test_share: float
    split_seed: int
    fold_seed: int
    tree_seed: int
    undersample_seed: int
    max_depth_grid: tuple[int, ...]
    max_bins_grid: tuple[int, ...]
    cv_folds: int
    cv_parallelism: int
    mlflow_experiment: str
    review_model_variant: str
    review_queue_size: int

    def training(self) -> TrainingSettings:
        """The grid, folds and seeds every tree variant is trained with."""
        return TrainingSettings(
            max_depth_grid=self.max_depth_grid,
            max_bins_grid=self.max_bins_grid,
            folds=self.cv_folds,
            parallelism=self.cv_parallelism,
            tree_seed=self.tree_seed,
            fold_seed=self.fold_seed,
            undersample_seed=self.undersample_seed,
        )

    def run_params(self) -> dict[str, object]:
        """The MLflow params of a training run: the rules' thresholds, the split, the training settings."""
        thresholds = (
            self.rule_origin_balance,
            self.rule_empty_dest_balance,
            self.rule_emptied_origin_balance,
            self.rule_large_amount,
        )
        return {
            "rule_thresholds": ",".join(map(str, thresholds)),
            "split_seed": self.split_seed,
            "test_share": self.test_share,
            **self.training().as_params(),
        }
