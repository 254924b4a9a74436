"""Chapter 4's target service levels and their z-scores: the seed forecasting_service_levels.

z is the standard normal quantile of the service level: a stock of mean + z * sigma covers a normal
demand with that probability. It is computed with the standard library's NormalDist (tests check it
against scipy), so the seed is reproducible:

    .venv/bin/python -m casebook.forecasting.service_levels > seeds/forecasting/forecasting_service_levels.csv
"""

from __future__ import annotations

import sys
from statistics import NormalDist

import pandas as pd

SERVICE_LEVELS_PCT = (80.0, 85.0, 90.0, 95.0, 97.0, 98.0, 99.0, 99.9, 99.99)
Z_DECIMALS = 6


def service_level_table(levels_pct: tuple[float, ...] = SERVICE_LEVELS_PCT) -> pd.DataFrame:
    """One row per service level: the level in percent, as a probability, and its z-score."""
    rows = [
        {
            "service_level_pct": pct,
            "service_level": round(pct / 100.0, 6),
            "z_score": round(NormalDist().inv_cdf(pct / 100.0), Z_DECIMALS),
        }
        for pct in levels_pct
    ]
    return pd.DataFrame(rows)


def service_level_csv() -> str:
    """The seed file's text."""
    return service_level_table().to_csv(index=False, lineterminator="\n")


if __name__ == "__main__":
    sys.stdout.write(service_level_csv())
