"""The forecasting Python models' work on Spark: every (store, item) series fitted in parallel.

Each series' training rows go to one pandas call on an executor (groupBy().applyInPandas through
casebook.spark.apply_per_group); only the fitted rows come back. The driver never sees the data.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from casebook.forecasting.prophet_fit import ProphetSettings
from casebook.forecasting.series import (
    CV_COLUMNS,
    FORECAST_COLUMNS,
    KEYS,
    ForecastConfig,
    cross_validate_series,
    forecast_series,
)
from casebook.spark import apply_per_group

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["config_from_meta", "cross_validate_all_series", "forecast_all_series"]

TRAINING_COLUMNS = [*KEYS, "training_date", "sales_date", "sales_qty"]


def _schema(columns: dict[str, str]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns.items())


def config_from_meta(meta: dict[str, str | None]) -> ForecastConfig:
    """The ForecastConfig a Python model's `config: meta:` describes (the forecasting_* vars, as text).

    dbt hands a Python model only the meta keys its file names literally, so the model passes them in.
    """
    meta_get = meta.get
    country = meta_get("holiday_country")
    prophet = ProphetSettings(
        interval_width=float(meta_get("interval_width")),
        uncertainty_samples=int(meta_get("uncertainty_samples")),
        holiday_country=country if country not in (None, "", "None", "none") else None,
    )
    return ForecastConfig(
        prophet=prophet,
        horizon_days=int(meta_get("horizon_days")),
        seed=int(meta_get("seed")),
        cv_cutoffs=int(meta_get("cv_cutoffs")),
        cv_period_days=int(meta_get("cv_period_days")),
        cv_horizon_days=int(meta_get("cv_horizon_days")),
    )


def _training_rows(training_sales: DataFrame) -> DataFrame:
    """The days up to each series' training date (the model sees nothing after it)."""
    return training_sales.where("is_training").select(*TRAINING_COLUMNS)


def forecast_all_series(training_sales: DataFrame, config: ForecastConfig) -> DataFrame:
    """Prophet (history + horizon) and seasonal-naive (horizon) rows of every series of `training_sales`."""
    function = partial(forecast_series, config=config)
    return apply_per_group(_training_rows(training_sales), KEYS, function, _schema(FORECAST_COLUMNS))


def cross_validate_all_series(training_sales: DataFrame, config: ForecastConfig) -> DataFrame:
    """Rolling-origin cross-validation rows (Prophet and seasonal naive) of every series.

    Without cutoffs (forecasting_cv_cutoffs: 0) there is nothing to refit: an empty frame of the
    output schema at once, without reading the training rows or starting a Python worker.
    """
    if config.cv_cutoffs == 0:
        return training_sales.sparkSession.createDataFrame([], _schema(CV_COLUMNS))
    function = partial(cross_validate_series, config=config)
    return apply_per_group(_training_rows(training_sales), KEYS, function, _schema(CV_COLUMNS))
