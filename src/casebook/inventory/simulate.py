"""Run the Monte Carlo stock policy for every (location, material) series on Spark, in batches of series."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from casebook.inventory.montecarlo import PolicySettings, daily_demand, recommend_policy, series_seed
from casebook.spark import ddl, shuffle_partitions

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

KEYS = ["location_id", "material_id"]
# Columns of int_inventory__lead_time_demand, in order, with their Spark types.
OUTPUT_COLUMNS = {
    "location_id": "string",
    "material_id": "string",
    "as_of_date": "date",
    "history_start_date": "date",
    "history_days": "int",
    "lead_time_days": "int",
    "review_period_days": "int",
    "service_level": "double",
    "iterations": "int",
    "simulation_seed": "bigint",
    "demand_days": "int",
    "mean_daily_demand_qty": "double",
    "lead_time_demand_mean_qty": "double",
    "lead_time_demand_std_qty": "double",
    "reorder_point_qty": "bigint",
    "recommended_stock_qty": "bigint",
    "safety_stock_qty": "double",
    "stockout_probability": "double",
    "expected_shortage_qty": "double",
    "on_hand_qty": "bigint",
    "stockout_probability_at_on_hand": "double",
    "expected_shortage_at_on_hand_qty": "double",
}
OUTPUT_SCHEMA = ddl(OUTPUT_COLUMNS)


def simulate_batch(
    series: pd.DataFrame, settings: PolicySettings, as_of_date: date, history_days: int
) -> pd.DataFrame:
    """One output row per input row; each input row is a whole series.

    `series` holds location_id, material_id, lead_time_days, on_hand_qty (null: no stock row) and
    day_index, issued_qty: arrays of the series' issues in the history window, in any order (null
    when it issued nothing). A series' result depends only on its own row and the seed, never on
    which batch or partition it arrives in.
    """
    history_start = as_of_date - timedelta(days=history_days - 1)
    records = []
    columns = ["location_id", "material_id", "lead_time_days", "on_hand_qty", "day_index", "issued_qty"]
    # Plain Python values and numpy arrays, no pandas per series: this runs 150,000 times at Shell's scale.
    for location_id, material_id, lead_time_days, on_hand, days, qty in zip(
        *(series[column].tolist() for column in columns), strict=True
    ):
        demand = daily_demand(_array(days), _array(qty), history_days)
        on_hand = None if on_hand is None or on_hand != on_hand else int(on_hand)  # NaN != NaN
        seed = series_seed(settings.seed, location_id, material_id)
        policy = recommend_policy(demand, int(lead_time_days), on_hand, settings, seed)
        records.append(
            {
                "location_id": location_id,
                "material_id": material_id,
                "as_of_date": as_of_date,
                "history_start_date": history_start,
                "history_days": history_days,
                "lead_time_days": int(lead_time_days),
                "review_period_days": settings.review_period_days,
                "service_level": settings.service_level,
                "iterations": settings.iterations,
                # vars(), not dataclasses.asdict: asdict deep-copies every field, 10 us a series.
                **vars(policy),
                "on_hand_qty": on_hand,
            }
        )
    return pd.DataFrame.from_records(records, columns=list(OUTPUT_COLUMNS))


def _array(values: object) -> np.ndarray:
    """A list cell as an int64 array; null (no issues) as an empty one."""
    return np.asarray([] if values is None else values, dtype=np.int64)


def _simulate_batches(
    batches: Iterable[pd.DataFrame], settings: PolicySettings, as_of_date: date, history_days: int
) -> Iterator[pd.DataFrame]:
    for batch in batches:
        yield simulate_batch(batch, settings, as_of_date, history_days)


def resolve_as_of_date(stock: DataFrame, configured: str | date | None) -> date:
    """The day recommendations are made for: the configured date, else the latest stock snapshot."""
    if configured:
        return configured if isinstance(configured, date) else date.fromisoformat(str(configured))
    latest = stock.agg({"snapshot_date": "max"}).first()[0]
    if latest is None:
        raise ValueError("No stock snapshot to take the as-of date from: set the var inventory_as_of_date")
    return latest


def simulate_lead_time_demand(
    issues: DataFrame,
    materials: DataFrame,
    stock: DataFrame,
    settings: PolicySettings,
    history_days: int,
    as_of_date: str | date | None = None,
) -> DataFrame:
    """One row per material of `materials`: its simulated lead-time demand and stock policy.

    Demand history is the `history_days` days up to and including the as-of date; issues outside
    that window are ignored, and a series without issues in it simulates zero demand.
    """
    from pyspark.sql import functions as F

    if history_days < 1:
        raise ValueError(f"history_days must be at least 1, got {history_days}")
    as_of = resolve_as_of_date(stock, as_of_date)
    start = as_of - timedelta(days=history_days - 1)
    window = issues.where(F.col("issue_date").between(F.lit(start), F.lit(as_of))).select(
        *KEYS,
        F.datediff(F.col("issue_date"), F.lit(start)).alias("day_index"),
        "issued_qty",
    )
    # One list of (day, quantity) pairs per series, split into two arrays that stay aligned.
    histories = (
        window.groupBy(*KEYS)
        .agg(F.collect_list(F.struct("day_index", "issued_qty")).alias("issues"))
        .select(
            *KEYS,
            F.col("issues.day_index").alias("day_index"),
            F.col("issues.issued_qty").alias("issued_qty"),
        )
    )
    series = (
        materials.select(*KEYS, "lead_time_days")
        .join(stock.select(*KEYS, "on_hand_qty"), on=KEYS, how="left")
        .join(histories, on=KEYS, how="left")
    )
    # One row per series, simulated in Arrow batches of many series: a group per series
    # (applyInPandas) costs more in per-group pandas overhead than the simulation itself.
    # An explicit partition count keeps adaptive execution from putting every series on one core.
    partitions = shuffle_partitions(series.sparkSession)
    function = partial(_simulate_batches, settings=settings, as_of_date=as_of, history_days=history_days)
    return series.repartition(partitions, *KEYS).mapInPandas(function, schema=OUTPUT_SCHEMA)
