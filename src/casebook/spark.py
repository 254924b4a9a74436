"""Small helpers for Spark: DDL schemas, the shuffle width, running pandas functions per group."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pyspark.pandas as ps
    from pyspark.sql import DataFrame, SparkSession


GROUP_TASKS_PER_SHUFFLE_PARTITION = 4


def ddl(columns: Mapping[str, str]) -> str:
    """A Spark DDL schema string, `name type, ...`, from an ordered column -> type mapping."""
    return ", ".join(f"{name} {kind}" for name, kind in columns.items())


def shuffle_partitions(spark: SparkSession) -> int:
    """The session's shuffle width (spark.sql.shuffle.partitions): how many tasks a shuffle runs."""
    return int(spark.conf.get("spark.sql.shuffle.partitions"))


def apply_per_group(
    frame: DataFrame,
    keys: Sequence[str],
    function: Callable[[pd.DataFrame], pd.DataFrame],
    schema: str,
) -> DataFrame:
    """Run `function` on each group's rows with applyInPandas, spread over every core.

    Repartitioning by the keys to an explicit count first stops adaptive execution from
    coalescing all groups into one partition (and so onto one Python worker). There are
    GROUP_TASKS_PER_SHUFFLE_PARTITION times as many tasks as a shuffle has: Spark never stops a
    running task, so a query of dbt's other thread waits for one to end, and short tasks keep that
    wait to seconds (Prophet's forecast at `small` ran four tasks of about 40 s).
    """
    from casebook.progress import count_groups

    partitions = shuffle_partitions(frame.sparkSession) * GROUP_TASKS_PER_SHUFFLE_PARTITION
    # In a dbt Python model, the groups finished show in dbt's log while it runs (casebook.progress).
    function = count_groups(frame, keys, function)
    return frame.repartition(partitions, *keys).groupBy(*keys).applyInPandas(function, schema=schema)


def to_spark(frame: ps.DataFrame) -> DataFrame:
    """A pandas-on-Spark frame as a Spark DataFrame, dropping its index without the advice warning
    pandas-on-Spark gives for exactly that."""
    from pyspark.pandas.utils import PandasAPIOnSparkAdviceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PandasAPIOnSparkAdviceWarning)
        return frame.to_spark()
