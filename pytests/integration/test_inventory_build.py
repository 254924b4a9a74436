"""The inventory lineage of the tiny warehouse, checked against pandas and scipy computed from the raw data.

The oracle re-applies the staging rules to the generated raw frames in pandas, rebuilds each series'
daily demand, and gets the exact distribution of lead-time demand under bootstrap resampling (the
L-fold convolution of the history's empirical distribution); the Monte Carlo figures must fall
within sampling error of it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from dbt.cli.main import dbtRunnerResult
from scipy.signal import fftconvolve

from casebook.data.inventory import generate_inventory
from casebook.inventory.montecarlo import recommend_policy, series_seed
from casebook.inventory.settings import InventorySettings
from casebook.settings import from_project
from pytests.integration.conftest import SEED, Warehouse  # SEED: the tiny raw data's seed

pytestmark = pytest.mark.integration

KEYS = ["location_id", "material_id"]
SETTINGS = from_project(InventorySettings)  # the build's vars: dbt_project.yml's defaults
HISTORY_DAYS = SETTINGS.history_days
SERVICE_LEVEL = SETTINGS.service_level
REVIEW_PERIOD_DAYS = SETTINGS.review_period_days
SLOW_MOVER_MONTHS = SETTINGS.slow_mover_months
INVENTORY_SEED = SETTINGS.seed
ITERATIONS = SETTINGS.iterations
CDF_TOLERANCE = 0.015  # 10,000 draws: the empirical CDF's standard error near the 95th percentile is 0.002
MODELS = [
    "int_inventory__lead_time_demand",
    "fct_inventory_recommendations",
    "fct_inventory_stock_positions",
    "fct_inventory_slow_movers",
]


# --------------------------------------------------------------------------- pandas oracle


def _reasons(
    frame: pd.DataFrame, rules: dict[str, pd.Series], key: list[str], order: list[str], ascending: bool
) -> pd.Series:
    """The first rule each row breaks; of the rows breaking none, later copies of a key are duplicates."""
    reason = pd.Series(None, index=frame.index, dtype=object)
    for name, broken in rules.items():
        reason = reason.where(reason.notna() | ~broken.fillna(False).astype(bool), name)
    usable = frame[reason.isna()].sort_values(order, ascending=ascending, kind="stable")
    reason[usable.index[usable.duplicated(key)]] = "duplicate_record"
    return reason


def _material_rules(materials: pd.DataFrame, rows: pd.DataFrame) -> dict[str, pd.Series]:
    """unknown_material (the master never names the key) and material_quarantined (no usable row)."""
    keys = pd.MultiIndex.from_frame(rows[KEYS].astype(object))
    named = keys.isin(pd.MultiIndex.from_frame(materials[KEYS].dropna()))
    usable = keys.isin(pd.MultiIndex.from_frame(materials.loc[materials["reason"].isna(), KEYS]))
    return {
        "unknown_material": pd.Series(~named, index=rows.index),
        "material_quarantined": pd.Series(named & ~usable, index=rows.index),
    }


@pytest.fixture(scope="module")
def oracle() -> dict[str, pd.DataFrame]:
    """The raw tiny tables (as the warehouse fixture wrote them), each row with its expected reason."""
    raw = generate_inventory("tiny", SEED)
    materials, issues, stock = (
        raw[table].astype({c: object for c in raw[table].columns if c.endswith("_date")})
        for table in ("materials", "issues", "stock")
    )
    missing_key = {
        name: frame["location_id"].isna() | frame["material_id"].isna()
        for name, frame in [("materials", materials), ("issues", issues), ("stock", stock)]
    }
    materials["reason"] = _reasons(
        materials,
        {
            "missing_key": missing_key["materials"],
            "missing_lead_time": materials["lead_time_days"].isna(),
            "non_positive_lead_time": materials["lead_time_days"] <= 0,
            "negative_unit_cost": materials["unit_cost_usd"] < 0,
        },
        KEYS,
        ["lead_time_days", "unit_cost_usd"],
        ascending=True,
    )
    issues["reason"] = _reasons(
        issues,
        {
            "missing_key": missing_key["issues"] | issues["issue_date"].isna(),
            "missing_qty": issues["issued_qty"].isna(),
            "negative_qty": issues["issued_qty"] < 0,
            **_material_rules(materials, issues),
        },
        [*KEYS, "issue_date"],
        ["issued_qty"],
        ascending=False,
    )
    stock["reason"] = _reasons(
        stock,
        {
            "missing_key": missing_key["stock"],
            "missing_snapshot_date": stock["snapshot_date"].isna(),
            "missing_qty": stock["on_hand_qty"].isna(),
            "negative_qty": stock["on_hand_qty"] < 0,
            **_material_rules(materials, stock),
        },
        KEYS,
        ["snapshot_date", "on_hand_qty"],
        ascending=False,
    )
    return {"materials": materials, "issues": issues, "stock": stock}


@pytest.fixture(scope="module")
def series(oracle: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Usable series with lead time, on-hand stock and the dense daily demand of the history window."""
    materials = oracle["materials"][oracle["materials"]["reason"].isna()]
    stock = oracle["stock"][oracle["stock"]["reason"].isna()]
    issues = oracle["issues"][oracle["issues"]["reason"].isna()]
    as_of = max(stock["snapshot_date"])
    start = as_of - timedelta(days=HISTORY_DAYS - 1)
    frame = materials[[*KEYS, "lead_time_days", "unit_cost_usd"]].merge(
        stock[[*KEYS, "on_hand_qty"]], on=KEYS, how="left"
    )
    histories, last_issue = [], []
    for location_id, material_id in frame[KEYS].itertuples(index=False):
        own = issues[(issues["location_id"] == location_id) & (issues["material_id"] == material_id)]
        daily = np.zeros(HISTORY_DAYS, dtype=np.int64)
        for issue_date, qty in own[["issue_date", "issued_qty"]].itertuples(index=False):
            if start <= issue_date <= as_of:
                daily[(issue_date - start).days] += qty
        histories.append(daily)
        issued = own[(own["issued_qty"] > 0) & (own["issue_date"] <= as_of)]
        last_issue.append(max(issued["issue_date"]) if len(issued) else None)
    frame = frame.assign(as_of_date=as_of, daily=histories, last_issue_date=last_issue)
    return frame.sort_values(KEYS).reset_index(drop=True)


def _exact_sum_pmf(daily: np.ndarray, days: int) -> np.ndarray:
    """pmf of the sum of `days` draws with replacement from `daily` (convolution by squaring)."""
    result, power = np.array([1.0]), np.bincount(daily) / daily.size
    while days:
        if days & 1:
            result = np.clip(fftconvolve(result, power), 0, None)
        power = np.clip(fftconvolve(power, power), 0, None)
        days >>= 1
    return result / result.sum()


def _quantile(cdf: np.ndarray, level: float) -> int:
    return int(np.searchsorted(cdf, level - 1e-12))


def _frame(spark, table: str) -> pd.DataFrame:
    return spark.table(table).toPandas().sort_values(KEYS).reset_index(drop=True)


# --------------------------------------------------------------------------- tests


def test_inventory_models_and_their_tests_succeed(first_build: dbtRunnerResult, warehouse: Warehouse) -> None:
    # Exposures only document (dbt reports them as no-op); every model and test must succeed.
    statuses = {r.node.name: str(r.status) for r in first_build.result if r.node.resource_type != "exposure"}
    assert all(statuses[model] == "success" for model in MODELS), statuses
    inventory = {name: status for name, status in statuses.items() if "inventory" in name}
    # Every model of the domain has tests; every data test and unit test declared on them ran, and passed.
    tests = warehouse.statuses_of_tests_on_models_named(first_build, "inventory")
    assert tests and set(tests.values()) == {"pass"}, tests
    assert set(inventory.values()) <= {"success", "pass"}, inventory


def test_every_raw_row_is_staged_or_quarantined_with_the_oracles_reason(spark, oracle) -> None:
    quarantine = _frame(spark, "staging.stg_inventory__quarantined_records")
    actual = Counter(zip(quarantine["source_table"], quarantine["quarantine_reason"], strict=True))
    expected = Counter(
        (table, reason) for table, frame in oracle.items() for reason in frame["reason"].dropna()
    )
    assert actual == expected
    assert {reason for _, reason in expected} >= {
        "missing_key",
        "missing_lead_time",
        "non_positive_lead_time",
        "negative_qty",
        "unknown_material",
        "material_quarantined",
        "duplicate_record",
    }
    for table, frame in oracle.items():
        staged = spark.table(f"staging.stg_inventory__{table}").count()
        quarantined = sum(count for (source, _), count in actual.items() if source == table)
        assert staged == frame["reason"].isna().sum()
        assert staged + quarantined == len(frame)


def test_reorder_points_are_the_exact_bootstrap_quantiles_within_sampling_error(spark, series) -> None:
    marts = _frame(spark, "marts.fct_inventory_recommendations")
    assert marts[KEYS].values.tolist() == series[KEYS].values.tolist()
    assert len(marts) == 18  # 20 tiny series, two lose their lead time
    for row, (_, expected) in zip(marts.itertuples(index=False), series.iterrows(), strict=True):
        lead = np.cumsum(_exact_sum_pmf(expected["daily"], row.lead_time_days))
        protection = np.cumsum(_exact_sum_pmf(expected["daily"], row.lead_time_days + REVIEW_PERIOD_DAYS))
        assert _quantile(lead, SERVICE_LEVEL - CDF_TOLERANCE) <= row.reorder_point_qty
        assert row.reorder_point_qty <= _quantile(lead, SERVICE_LEVEL + CDF_TOLERANCE)
        assert _quantile(protection, SERVICE_LEVEL - CDF_TOLERANCE) <= row.recommended_stock_qty
        assert row.recommended_stock_qty <= _quantile(protection, SERVICE_LEVEL + CDF_TOLERANCE)
        mean, std = expected["daily"].mean(), expected["daily"].std()
        error = 5 * std * np.sqrt(row.lead_time_days / ITERATIONS)
        assert row.lead_time_demand_mean_qty == pytest.approx(mean * row.lead_time_days, abs=error + 1e-9)
        assert row.mean_daily_demand_qty == pytest.approx(mean)
        assert row.recommended_stock_value_usd == pytest.approx(
            row.recommended_stock_qty * expected["unit_cost_usd"]
        )


def test_the_warehouse_reproduces_exactly_from_the_seed(spark, series) -> None:
    # Same inputs and seed -> identical numbers, whichever Spark worker simulated the series.
    simulations = _frame(spark, "intermediate.int_inventory__lead_time_demand")
    settings = SETTINGS.policy()
    for row, (_, expected) in zip(simulations.itertuples(index=False), series.iterrows(), strict=True):
        seed = series_seed(INVENTORY_SEED, row.location_id, row.material_id)
        on_hand = None if pd.isna(expected["on_hand_qty"]) else int(expected["on_hand_qty"])
        policy = recommend_policy(expected["daily"], row.lead_time_days, on_hand, settings, seed)
        assert row.simulation_seed == seed
        assert (row.reorder_point_qty, row.recommended_stock_qty) == (
            policy.reorder_point_qty,
            policy.recommended_stock_qty,
        )
        assert row.lead_time_demand_mean_qty == policy.lead_time_demand_mean_qty
        assert row.expected_shortage_qty == policy.expected_shortage_qty
        assert row.stockout_probability_at_on_hand == policy.stockout_probability_at_on_hand


def test_stock_positions_compare_current_stock_with_the_policy(spark, series) -> None:
    positions = _frame(spark, "marts.fct_inventory_stock_positions")
    on_hand = series["on_hand_qty"].astype("Int64")
    expected = np.where(
        on_hand.isna(),
        "no_stock_record",
        np.where(
            on_hand < positions["reorder_point_qty"],
            "under_stocked",
            np.where(on_hand > positions["recommended_stock_qty"], "over_stocked", "within_policy"),
        ),
    )
    assert positions["stock_status"].tolist() == expected.tolist()
    assert positions["on_hand_qty"].astype("Int64").tolist() == on_hand.tolist()
    assert set(positions["stock_status"]) >= {"under_stocked", "over_stocked"}
    for row, (_, own) in zip(positions.itertuples(index=False), series.iterrows(), strict=True):
        cdf = np.cumsum(_exact_sum_pmf(own["daily"], own["lead_time_days"]))
        exact = 1 - cdf[row.on_hand_qty] if row.on_hand_qty < cdf.size else 0.0
        # A share of 10,000 draws: within five standard errors of the exact probability.
        tolerance = 5 * np.sqrt(exact * (1 - exact) / ITERATIONS) + 1e-9
        assert row.stockout_probability_at_on_hand == pytest.approx(exact, abs=tolerance)


def test_slow_movers_are_the_series_without_issues_for_six_months(spark, series) -> None:
    slow = _frame(spark, "marts.fct_inventory_slow_movers")
    cutoff = (pd.Timestamp(series["as_of_date"].iloc[0]) - pd.DateOffset(months=SLOW_MOVER_MONTHS)).date()
    stale = series["last_issue_date"].isna() | series["last_issue_date"].map(
        lambda d: d is not None and d <= cutoff
    )
    expected = series[stale.astype(bool)]
    assert slow[KEYS].values.tolist() == expected[KEYS].values.tolist()
    assert len(slow) >= 2  # the generator forces a slow mover and a never-issued series
    assert set(slow["slow_mover_cutoff_date"]) == {cutoff}
    assert slow["is_never_issued"].tolist() == expected["last_issue_date"].isna().tolist()
    assert series["as_of_date"].iloc[0] == date(2024, 12, 31)
