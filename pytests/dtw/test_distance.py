"""Exact windowed DTW (dtaidistance) against a brute-force O(n^2) reference, and the input checks."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from casebook.dtw.capacity import capacity_pattern
from casebook.dtw.distance import (
    STRETCH_FACTORS,
    band_radius,
    distances_to_pattern,
    dtw_distance,
    quarantine_reason,
    znormalize,
)
from pytests.dtw.reference import reference_dtw

SEED_CSV = Path(__file__).resolve().parents[2] / "seeds" / "dtw" / "dtw_uci_sales_weekly.csv"
WEEKS = [f"W{week}" for week in range(52)]


@pytest.fixture(scope="module")
def pattern() -> list[float]:
    return capacity_pattern()["capacity_units"].tolist()


@pytest.fixture(scope="module")
def sampled_products() -> pd.DataFrame:
    products = pd.read_csv(SEED_CSV)
    return products.sample(n=20, random_state=7)


def test_band_radius_is_the_stretch_times_length_rounded_up() -> None:
    assert [band_radius(factor, 52) for factor in STRETCH_FACTORS] == [0, 1, 2, 3, 6, 13, 26]
    # floating point: 0.05 * 60 is 3.0000000000000004 and must stay 3
    assert band_radius(0.05, 60) == 3
    assert band_radius(1.0, 52) == 52


def test_band_radius_refuses_a_stretch_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match="stretch_factor"):
        band_radius(-0.1, 52)
    with pytest.raises(ValueError, match="stretch_factor"):
        band_radius(1.5, 52)


def test_dtw_distance_equals_brute_force_for_sampled_products_at_every_stretch_factor(
    sampled_products: pd.DataFrame, pattern: list[float]
) -> None:
    for _, product in sampled_products.iterrows():
        units = product[WEEKS].astype(float).tolist()
        for stretch_factor, radius, distance in distances_to_pattern(units, pattern):
            expected = reference_dtw(units, pattern, radius)
            assert distance == pytest.approx(expected, rel=1e-9, abs=1e-12), (
                product["Product_Code"],
                stretch_factor,
            )


def test_dtw_distance_equals_brute_force_on_random_series_and_every_radius() -> None:
    generator = random.Random(11)
    for length in (1, 2, 5, 17):
        for _ in range(5):
            series = [generator.uniform(0, 30) for _ in range(length)]
            other = [generator.uniform(0, 30) for _ in range(length)]
            for radius in range(length + 1):
                assert dtw_distance(series, other, radius) == pytest.approx(
                    reference_dtw(series, other, radius), rel=1e-9, abs=1e-12
                )


def test_radius_zero_is_the_euclidean_distance_of_the_normalised_series(pattern: list[float]) -> None:
    series = [float((week * 7) % 11) for week in range(52)]
    euclidean = float(np.linalg.norm(znormalize(series) - znormalize(pattern)))
    assert dtw_distance(series, pattern, 0) == pytest.approx(euclidean, rel=1e-12)


def test_a_wider_band_never_increases_the_distance(
    sampled_products: pd.DataFrame, pattern: list[float]
) -> None:
    for _, product in sampled_products.iterrows():
        distances = [distance for _, _, distance in distances_to_pattern(product[WEEKS].tolist(), pattern)]
        assert all(wider <= narrower + 1e-12 for narrower, wider in pairwise(distances))


def test_a_shifted_pattern_is_close_once_the_band_covers_the_shift(pattern: list[float]) -> None:
    shifted = pattern[2:] + pattern[:2]
    assert dtw_distance(shifted, pattern, 0) > 1.0
    assert (
        dtw_distance(shifted, pattern, 2)
        < dtw_distance(shifted, pattern, 1)
        < dtw_distance(shifted, pattern, 0)
    )


def test_distance_ignores_the_sales_level_and_scale(pattern: list[float]) -> None:
    scaled = [3 * units + 40 for units in pattern]
    assert dtw_distance(scaled, pattern, 3) == pytest.approx(0.0, abs=1e-9)


def test_dtw_distance_refuses_series_of_different_lengths_and_negative_radius() -> None:
    with pytest.raises(ValueError, match="must be equal"):
        dtw_distance([1.0, 2.0], [1.0, 2.0, 3.0], 1)
    with pytest.raises(ValueError, match="radius"):
        dtw_distance([1.0, 2.0], [2.0, 1.0], -1)


def test_znormalize_gives_mean_zero_unit_population_sd_and_zeros_for_a_constant() -> None:
    normalised = znormalize([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    assert normalised.mean() == pytest.approx(0.0, abs=1e-12)
    assert normalised.std() == pytest.approx(1.0)
    assert znormalize([3.0] * 5).tolist() == [0.0] * 5


@pytest.mark.parametrize(
    ("units", "reason"),
    [
        ([1, 2, 3, 4], None),
        ([4, 4, 4, 4], None),
        ([1, None, 3, 4], "missing_week"),
        ([1, float("nan"), 3, 4], "missing_week"),
        ([1, 2, 3], "missing_week"),
        ([1, 2, 3, 4, 5], "missing_week"),
        ([1, 2.5, 3, 4], "non_integer_units"),
        ([1, -2, 3, 4], "negative_units"),
        ([0, 0, 0, 0], "all_zero_units"),
        ([None, -1, 0, 0], "missing_week"),
        ([0.5, -1, 0, 0], "non_integer_units"),
        ([0, -1, 0, 0], "negative_units"),
    ],
)
def test_quarantine_reason_names_the_first_problem(units: list[float | None], reason: str | None) -> None:
    assert quarantine_reason(units, 4) == reason
