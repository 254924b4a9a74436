"""The Monte Carlo stock policy on series whose lead-time demand has a known distribution (scipy)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy import stats

from casebook.inventory.montecarlo import (
    bootstrap_lead_time_demand,
    daily_demand,
    expected_shortage,
    recommend_policy,
    series_seed,
    service_level_quantile,
    stockout_probability,
)
from casebook.inventory.settings import InventorySettings
from casebook.settings import from_project

ITERATIONS = 10_000
PROJECT_POLICY = from_project(InventorySettings).policy()  # dbt_project.yml's defaults


def _poisson_history(rate_per_day: float, days: int = 20_000, seed: int = 1) -> np.ndarray:
    """A long daily history whose empirical distribution is close to Poisson(rate_per_day)."""
    return np.random.default_rng(seed).poisson(rate_per_day, days)


@pytest.mark.parametrize(
    ("rate_per_day", "lead_time_days", "service_level"),
    [(0.2, 30, 0.95), (3.0, 14, 0.90), (10.0, 7, 0.99)],
)
def test_simulated_reorder_point_matches_the_poisson_quantile(
    rate_per_day: float, lead_time_days: int, service_level: float
) -> None:
    # Poisson daily demand over L days is Poisson(rate * L): scipy gives the exact quantile.
    settings = replace(
        PROJECT_POLICY, iterations=ITERATIONS, service_level=service_level, review_period_days=0
    )
    policy = recommend_policy(_poisson_history(rate_per_day), lead_time_days, None, settings, seed=7)
    expected = stats.poisson.ppf(service_level, rate_per_day * lead_time_days)
    assert abs(policy.reorder_point_qty - expected) <= 1
    assert policy.lead_time_demand_mean_qty == pytest.approx(rate_per_day * lead_time_days, rel=0.02)
    assert policy.lead_time_demand_std_qty == pytest.approx(np.sqrt(rate_per_day * lead_time_days), rel=0.03)


def test_expected_shortage_matches_the_poisson_loss_function() -> None:
    mean = 0.5 * 20
    settings = replace(PROJECT_POLICY, iterations=ITERATIONS, review_period_days=0)
    policy = recommend_policy(_poisson_history(0.5), 20, None, settings, seed=3)
    k = np.arange(policy.reorder_point_qty + 1, 200)
    exact = float(np.sum((k - policy.reorder_point_qty) * stats.poisson.pmf(k, mean)))
    assert policy.expected_shortage_qty == pytest.approx(exact, rel=0.15, abs=0.01)
    assert policy.stockout_probability == pytest.approx(
        stats.poisson.sf(policy.reorder_point_qty, mean), abs=0.01
    )


def test_intermittent_demand_gives_the_binomial_quantile_exactly() -> None:
    # 10 units on 10 % of days: demand over 5 days is 10 * Binomial(5, 0.1), whose 95 % point is 20.
    history = np.array([10] * 10 + [0] * 90)
    settings = replace(PROJECT_POLICY, iterations=ITERATIONS, service_level=0.95, review_period_days=0)
    policy = recommend_policy(history, 5, None, settings, seed=11)
    assert policy.reorder_point_qty == 10 * stats.binom.ppf(0.95, 5, 0.1) == 20
    assert policy.mean_daily_demand_qty == pytest.approx(1.0)
    assert policy.demand_days == 10


def test_bootstrap_sum_has_the_convolved_empirical_distribution() -> None:
    # The exact law of a sum of L draws from the history is the L-fold convolution of its pmf.
    history = np.array([0] * 70 + [1] * 15 + [2] * 10 + [7] * 5)
    lead_time_days = 6
    pmf_day = np.bincount(history) / history.size
    pmf = np.array([1.0])
    for _ in range(lead_time_days):
        pmf = np.convolve(pmf, pmf_day)
    demand = bootstrap_lead_time_demand(history, lead_time_days, 0, 20_000, np.random.default_rng(5))
    simulated_cdf = np.cumsum(np.bincount(demand.lead_time_qty, minlength=pmf.size)[: pmf.size]) / 20_000
    assert np.max(np.abs(simulated_cdf - np.cumsum(pmf))) < 0.015  # Kolmogorov-Smirnov, p < 0.001


def test_protection_interval_adds_the_review_period_to_the_lead_time() -> None:
    history = _poisson_history(2.0)
    demand = bootstrap_lead_time_demand(history, 10, 5, ITERATIONS, np.random.default_rng(2))
    assert np.all(demand.protection_qty >= demand.lead_time_qty)
    assert demand.protection_qty.mean() == pytest.approx(2.0 * 15, rel=0.02)
    settings = replace(PROJECT_POLICY, iterations=ITERATIONS, service_level=0.95, review_period_days=5)
    policy = recommend_policy(history, 10, None, settings, seed=2)
    assert abs(policy.recommended_stock_qty - stats.poisson.ppf(0.95, 30)) <= 1


def test_without_a_review_period_recommended_stock_is_the_reorder_point() -> None:
    settings = replace(PROJECT_POLICY, iterations=2_000, review_period_days=0)
    policy = recommend_policy(_poisson_history(1.0, days=365), 12, None, settings, seed=4)
    assert policy.recommended_stock_qty == policy.reorder_point_qty


def test_reorder_point_is_the_smallest_stock_meeting_the_service_level() -> None:
    samples = np.random.default_rng(8).poisson(40, ITERATIONS)
    point = service_level_quantile(samples, 0.95)
    assert stockout_probability(samples, point) <= 0.05
    assert stockout_probability(samples, point - 1) > 0.05


def test_same_seed_gives_identical_results_and_another_seed_differs() -> None:
    history = _poisson_history(0.7, days=365)
    settings = replace(PROJECT_POLICY, iterations=ITERATIONS)
    first = recommend_policy(history, 21, 5, settings, seed=123)
    assert recommend_policy(history, 21, 5, settings, seed=123) == first
    other = bootstrap_lead_time_demand(history, 21, 7, ITERATIONS, np.random.default_rng(124))
    again = bootstrap_lead_time_demand(history, 21, 7, ITERATIONS, np.random.default_rng(123))
    same = bootstrap_lead_time_demand(history, 21, 7, ITERATIONS, np.random.default_rng(123))
    np.testing.assert_array_equal(again.lead_time_qty, same.lead_time_qty)
    assert not np.array_equal(again.lead_time_qty, other.lead_time_qty)


def test_series_seed_is_a_stable_hash_of_the_global_seed_and_keys() -> None:
    assert series_seed(42, "LOC001", "MAT000001") == series_seed(42, "LOC001", "MAT000001")
    # Pinned: changing the derivation would silently change every recommendation.
    assert series_seed(42, "LOC001", "MAT000001") == 7836371349150492042
    assert series_seed(43, "LOC001", "MAT000001") != series_seed(42, "LOC001", "MAT000001")
    assert series_seed(42, "LOC00", "1MAT000001") != series_seed(42, "LOC001", "MAT000001")
    assert 0 <= series_seed(42, "x", "y") < 2**63


def test_current_stock_gives_its_own_stockout_risk() -> None:
    history = np.array([10] * 10 + [0] * 90)
    settings = replace(PROJECT_POLICY, iterations=ITERATIONS, review_period_days=0)
    policy = recommend_policy(history, 5, 0, settings, seed=11)
    assert policy.stockout_probability_at_on_hand == pytest.approx(1 - 0.9**5, abs=0.015)
    assert policy.expected_shortage_at_on_hand_qty == pytest.approx(5.0, rel=0.05)  # mean demand
    unknown = recommend_policy(history, 5, None, settings, seed=11)
    assert unknown.stockout_probability_at_on_hand is None
    assert unknown.expected_shortage_at_on_hand_qty is None


def test_a_series_without_demand_needs_no_stock() -> None:
    policy = recommend_policy(
        np.zeros(365, dtype=np.int64), 30, 4, replace(PROJECT_POLICY, iterations=500), seed=1
    )
    assert policy.reorder_point_qty == policy.recommended_stock_qty == 0
    assert policy.stockout_probability == policy.expected_shortage_qty == 0.0
    assert policy.demand_days == 0


def test_daily_demand_fills_zero_days_and_adds_issues_of_the_same_day() -> None:
    demand = daily_demand(np.array([3, 0, 3]), np.array([2, 5, 4]), history_days=5)
    np.testing.assert_array_equal(demand, [5, 0, 0, 6, 0])
    np.testing.assert_array_equal(daily_demand(np.array([3, 3, 0]), np.array([4, 2, 5]), 5), demand)
    with pytest.raises(ValueError, match="day_index"):
        daily_demand(np.array([5]), np.array([1]), history_days=5)


def test_expected_shortage_counts_only_units_above_the_stock() -> None:
    assert expected_shortage(np.array([0, 5, 10]), 5) == pytest.approx(5 / 3)


@pytest.mark.parametrize(
    ("field", "value"), [("iterations", 0), ("service_level", 1.0), ("review_period_days", -1)]
)
def test_settings_refuse_values_that_make_no_sense(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        replace(PROJECT_POLICY, **{field: value})


@pytest.mark.parametrize("level", [0.5, 0.9, 0.95, 0.975, 0.99, 0.9999])
@pytest.mark.parametrize("high", [1, 50, 10**7])
def test_service_level_quantile_is_numpys_inverted_cdf(level: float, high: int) -> None:
    # Counting (narrow ranges) and partitioning (wide ranges) must both give numpy's definition.
    rng = np.random.default_rng(high)
    samples = np.where(rng.random(10_000) < 0.7, 0, rng.integers(0, high + 1, 10_000))
    assert service_level_quantile(samples, level) == np.quantile(samples, level, method="inverted_cdf")
