"""The inventory domain's settings: the dbt vars `inventory_*` (defaults in dbt_project.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from casebook.inventory.montecarlo import PolicySettings


@dataclass(frozen=True)
class InventorySettings:
    VAR_PREFIX: ClassVar[str] = "inventory_"

    iterations: int
    service_level: float
    review_period_days: int
    history_days: int
    as_of_date: date | None
    seed: int
    slow_mover_months: int

    def policy(self) -> PolicySettings:
        """What the simulation of every series shares."""
        return PolicySettings(
            iterations=self.iterations,
            service_level=self.service_level,
            review_period_days=self.review_period_days,
            seed=self.seed,
        )
