"""The service-level seed: z-scores against scipy, and the CSV in the repo equals what the module builds."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import norm

from casebook.forecasting.service_levels import SERVICE_LEVELS_PCT, service_level_csv, service_level_table
from pytests.conftest import REPO_ROOT

SEED_FILE = REPO_ROOT / "seeds" / "forecasting" / "forecasting_service_levels.csv"


def test_the_seed_lists_chapter_fours_service_levels_with_scipys_z() -> None:
    seed = pd.read_csv(SEED_FILE)
    assert seed["service_level_pct"].tolist() == [80, 85, 90, 95, 97, 98, 99, 99.9, 99.99]
    assert seed["service_level"].tolist() == pytest.approx(seed["service_level_pct"] / 100)
    assert seed["z_score"].tolist() == pytest.approx(norm.ppf(seed["service_level"]), abs=1e-6)
    assert seed["z_score"].iloc[3] == pytest.approx(1.644854, abs=1e-6)  # the textbook 95 % value


def test_the_seed_file_is_what_the_module_writes() -> None:
    assert SEED_FILE.read_text() == service_level_csv()
    assert len(service_level_table()) == len(SERVICE_LEVELS_PCT)
