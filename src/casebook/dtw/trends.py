"""DTW distance of every product's weekly sales to the capacity pattern, z-scored per stretch factor.

Products are independent, so the distances run per product on Spark (applyInPandas); the z-scores need
all products of one stretch factor, so they run per stretch factor. No mlflow import here: these
functions are shipped to Spark's Python workers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from casebook.dtw.distance import STRETCH_FACTORS, distances_to_pattern, quarantine_reason
from casebook.spark import apply_per_group, ddl

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

DISTANCE_COLUMNS = {
    "product_code": "string",
    "stretch_factor": "double",
    "window_weeks": "int",
    "dtw_distance": "double",
}
SCORED_COLUMNS = {**DISTANCE_COLUMNS, "distance_zscore": "double", "is_outlier": "boolean"}


def capacity_units(pattern: pd.DataFrame) -> np.ndarray:
    """The pattern's capacity_units ordered by week_nr; the weeks must be exactly 0..n-1."""
    ordered = pattern.sort_values("week_nr")
    weeks = ordered["week_nr"].to_numpy()
    if not np.array_equal(weeks, np.arange(len(ordered))):
        raise ValueError(f"the capacity pattern must have one row per week 0..{len(ordered) - 1}")
    return ordered["capacity_units"].to_numpy(dtype=np.float64)


def product_distances(
    sales: pd.DataFrame, pattern: np.ndarray, stretch_factors: Sequence[float] = STRETCH_FACTORS
) -> pd.DataFrame:
    """One product's rows (product_code, week_nr, sales_units) -> its DTW distance per stretch factor.

    Staging quarantines unusable products; one that slips through fails loudly rather than being scored.
    """
    ordered = sales.sort_values("week_nr")
    product = str(ordered["product_code"].iloc[0])
    weeks_ok = np.array_equal(ordered["week_nr"].to_numpy(), np.arange(len(pattern)))
    reason = quarantine_reason(ordered["sales_units"].to_numpy(dtype=np.float64), len(pattern))
    if reason is not None or not weeks_ok:
        raise ValueError(f"product {product}: {reason or 'missing_week'}; staging should have quarantined it")
    rows = [
        (product, stretch_factor, radius, distance)
        for stretch_factor, radius, distance in distances_to_pattern(
            ordered["sales_units"].to_numpy(), pattern, stretch_factors
        )
    ]
    return pd.DataFrame(rows, columns=list(DISTANCE_COLUMNS)).astype({"window_weeks": "int32"})


def add_zscores(distances: pd.DataFrame, outlier_abs_zscore: float) -> pd.DataFrame:
    """Add the z-score of dtw_distance within the frame (one stretch factor) and the outlier flag.

    The z-score uses the population standard deviation (scipy.stats.zscore's default, as in the
    notebook); when every distance is equal it is 0. A product is an outlier when |z| > outlier_abs_zscore.
    """
    values = distances["dtw_distance"].to_numpy(dtype=np.float64)
    spread = values.std()
    if math.isclose(spread, 0.0, abs_tol=1e-12):
        zscores = np.zeros_like(values)
    else:
        zscores = (values - values.mean()) / spread
    scored = distances.assign(distance_zscore=zscores, is_outlier=np.abs(zscores) > outlier_abs_zscore)
    return scored[list(SCORED_COLUMNS)]


def dtw_distances(sales: DataFrame, pattern: DataFrame, outlier_abs_zscore: float) -> DataFrame:
    """Spark: DTW distance, z-score and outlier flag per product and stretch factor.

    `pattern` (52 rows) is collected to the driver and shipped to the workers with the function.
    """
    pattern_units = capacity_units(pattern.select("week_nr", "capacity_units").toPandas())
    distances = apply_per_group(
        sales.select("product_code", "week_nr", "sales_units"),
        ["product_code"],
        partial(product_distances, pattern=pattern_units),
        ddl(DISTANCE_COLUMNS),
    )
    return apply_per_group(
        distances,
        ["stretch_factor"],
        partial(add_zscores, outlier_abs_zscore=outlier_abs_zscore),
        ddl(SCORED_COLUMNS),
    )
