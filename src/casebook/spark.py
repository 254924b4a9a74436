"""Small helpers for running pandas functions per group on Spark."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pyspark.pandas as ps
    from pyspark.sql import DataFrame


def apply_per_group(
    frame: DataFrame,
    keys: Sequence[str],
    function: Callable[[pd.DataFrame], pd.DataFrame],
    schema: str,
) -> DataFrame:
    """Run `function` on each group's rows with applyInPandas, spread over every core.

    Repartitioning by the keys to an explicit count first stops adaptive execution from
    coalescing all groups into one partition (and so onto one Python worker).
    """
    partitions = int(frame.sparkSession.conf.get("spark.sql.shuffle.partitions"))
    return frame.repartition(partitions, *keys).groupBy(*keys).applyInPandas(function, schema=schema)


def to_spark(frame: ps.DataFrame) -> DataFrame:
    """A pandas-on-Spark frame as a Spark DataFrame, dropping its index without the advice warning
    pandas-on-Spark gives for exactly that."""
    from pyspark.pandas.utils import PandasAPIOnSparkAdviceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PandasAPIOnSparkAdviceWarning)
        return frame.to_spark()
