"""The forecasting Python models' work on Spark: every (store, item) series fitted in parallel.

Each series' training rows go to one pandas call on an executor (groupBy().applyInPandas through
casebook.spark.apply_per_group); only the fitted rows come back. The driver never sees the data.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from casebook.forecasting.candidates import (
    cross_validate_pooled_store,
    cross_validate_statistical_series,
    forecast_pooled_store,
    forecast_statistical_series,
)
from casebook.forecasting.series import (
    CV_COLUMNS,
    FORECAST_COLUMNS,
    KEYS,
    ForecastConfig,
    cross_validate_series,
    forecast_series,
)
from casebook.spark import apply_per_group, ddl

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = [
    "cross_validate_all_series",
    "cross_validate_candidates",
    "forecast_all_series",
    "forecast_candidates",
]

TRAINING_COLUMNS = [*KEYS, "training_date", "sales_date", "sales_qty"]


def _training_rows(training_sales: DataFrame) -> DataFrame:
    """The days up to each series' training date (the model sees nothing after it)."""
    return training_sales.where("is_training").select(*TRAINING_COLUMNS)


def forecast_all_series(training_sales: DataFrame, config: ForecastConfig) -> DataFrame:
    """Prophet (history + horizon) and seasonal-naive (horizon) rows of every series of `training_sales`."""
    function = partial(forecast_series, config=config)
    return apply_per_group(_training_rows(training_sales), KEYS, function, ddl(FORECAST_COLUMNS))


def cross_validate_all_series(training_sales: DataFrame, config: ForecastConfig) -> DataFrame:
    """Rolling-origin cross-validation rows (Prophet and seasonal naive) of every series.

    Without cutoffs (forecasting_cv_cutoffs: 0) there is nothing to refit: an empty frame of the
    output schema at once, without reading the training rows or starting a Python worker.
    """
    if config.cv_cutoffs == 0:
        return training_sales.sparkSession.createDataFrame([], ddl(CV_COLUMNS))
    function = partial(cross_validate_series, config=config)
    return apply_per_group(_training_rows(training_sales), KEYS, function, ddl(CV_COLUMNS))


def forecast_candidates(training_sales: DataFrame, config: ForecastConfig) -> DataFrame:
    """The fast candidates' horizon rows: the statistical models per series, the pooled models per store."""
    schema = ddl(FORECAST_COLUMNS)
    training = _training_rows(training_sales)
    statistical = apply_per_group(training, KEYS, partial(forecast_statistical_series, config=config), schema)
    pooled = apply_per_group(training, ["store_id"], partial(forecast_pooled_store, config=config), schema)
    return statistical.unionByName(pooled)


def cross_validate_candidates(training_sales: DataFrame, config: ForecastConfig) -> DataFrame:
    """The fast candidates' rolling-origin CV rows, at Prophet's cutoffs (none without cutoffs)."""
    schema = ddl(CV_COLUMNS)
    if config.cv_cutoffs == 0:
        return training_sales.sparkSession.createDataFrame([], schema)
    training = _training_rows(training_sales)
    statistical = apply_per_group(
        training, KEYS, partial(cross_validate_statistical_series, config=config), schema
    )
    pooled = apply_per_group(
        training, ["store_id"], partial(cross_validate_pooled_store, config=config), schema
    )
    return statistical.unionByName(pooled)
