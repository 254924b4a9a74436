"""The pods domain's settings: the dbt vars `pods_*` (defaults in dbt_project.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class PodsSettings:
    VAR_PREFIX: ClassVar[str] = "pods_"

    twin_tolerance: float
