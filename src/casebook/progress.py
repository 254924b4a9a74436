"""Progress of long Python models in dbt's log: groups done / total while applyInPandas runs.

The runner of a Python model (the `session` submission method) wraps the model in `ModelProgress`.
While the model runs, a driver thread logs a line every few seconds (CASEBOOK_PROGRESS_SECONDS,
default 5; 0 turns it off):

    int_dtw__distances: 120/500 groups by product_code (3/4 tasks), 14 s

`casebook.spark.apply_per_group` counts the groups of its frame (one small Spark job) and counts each
group its pandas function finishes in a Spark accumulator. Executors report accumulators when a task
ends, so the count moves in steps of one task's groups (spark.sql.shuffle.partitions tasks); the task
counts come from Spark's status tracker for the model's jobs. Outside a model run nothing is counted.
"""

from __future__ import annotations

import inspect
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark import Accumulator
    from pyspark.sql import DataFrame, SparkSession

DEFAULT_INTERVAL_SECONDS = 5.0
_running = threading.local()


def interval_seconds() -> float:
    """Seconds between two progress lines: $CASEBOOK_PROGRESS_SECONDS, else 5 (0 = no lines)."""
    configured = os.environ.get("CASEBOOK_PROGRESS_SECONDS", "").strip()
    if not configured:
        return DEFAULT_INTERVAL_SECONDS
    try:
        seconds = float(configured)
    except ValueError:
        raise ValueError(
            f"CASEBOOK_PROGRESS_SECONDS must be a number of seconds (0 turns progress off), "
            f"got {configured!r}: fix or unset it"
        ) from None
    return max(seconds, 0.0)


@dataclass
class GroupCounter:
    """The groups of one applyInPandas: how many there are, and how many finished (an accumulator)."""

    keys: tuple[str, ...]
    total: int
    done: Accumulator[int]

    def describe(self) -> str:
        return f"{min(self.done.value, self.total)}/{self.total} groups by {', '.join(self.keys)}"


class ModelProgress:
    """Logs a Python model's progress from a driver thread while the model runs (a context manager)."""

    def __init__(
        self,
        spark: SparkSession,
        model_name: str,
        log: Callable[[str], None],
        interval: float | None = None,
    ) -> None:
        self.spark = spark
        self.model_name = model_name
        self.log = log
        self.interval = interval_seconds() if interval is None else interval
        self.job_group = f"casebook-model-{model_name}-{id(self)}"
        self.counters: list[GroupCounter] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = 0.0
        self._previous_group: str | None = None

    def __enter__(self) -> ModelProgress:
        self._started = time.monotonic()
        if self.interval > 0:
            _running.progress = self
            context = self.spark.sparkContext
            self._previous_group = context.getLocalProperty("spark.jobGroup.id")
            context.setLocalProperty("spark.jobGroup.id", self.job_group)
            name = f"progress-{self.model_name}"
            self._thread = threading.Thread(target=self._report, name=name, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        _running.progress = None
        self.spark.sparkContext.setLocalProperty("spark.jobGroup.id", self._previous_group)  # type: ignore[arg-type]
        if self.counters and exc_info[0] is None:
            self.log(self.line())

    def count_groups(
        self, frame: DataFrame, keys: Sequence[str], function: Callable[..., Any]
    ) -> Callable[..., Any]:
        """`function` for applyInPandas that also counts each group it finishes."""
        total = frame.select(*keys).distinct().count()
        done = self.spark.sparkContext.accumulator(0)
        self.counters.append(GroupCounter(keys=tuple(keys), total=total, done=done))
        return _counting(function, done)

    def line(self) -> str:
        """One progress line: groups done / total per applyInPandas, tasks of running stages, elapsed."""
        parts = [counter.describe() for counter in self.counters]
        tasks = self._running_tasks()
        if tasks is not None:
            parts.append(f"({tasks[0]}/{tasks[1]} tasks)" if parts else f"{tasks[0]}/{tasks[1]} tasks")
        elapsed = time.monotonic() - self._started
        return f"{self.model_name}: {' '.join(parts) if parts else 'running'}, {elapsed:.0f} s"

    def _running_tasks(self) -> tuple[int, int] | None:
        """Completed and total tasks of the model's active stages, or None when none is active."""
        tracker = self.spark.sparkContext.statusTracker()
        done = total = 0
        for job_id in tracker.getJobIdsForGroup(self.job_group):
            job = tracker.getJobInfo(job_id)
            if job is None or job.status != "RUNNING":
                continue
            for stage_id in job.stageIds:
                stage = tracker.getStageInfo(stage_id)
                if stage is not None and stage.numActiveTasks + stage.numCompletedTasks > 0:
                    done += stage.numCompletedTasks
                    total += stage.numTasks
        return (done, total) if total else None

    def _report(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.log(self.line())
            except Exception:  # a stopping SparkContext must not kill the model with it
                return


def current() -> ModelProgress | None:
    """The progress of the Python model running in this thread, if any."""
    return getattr(_running, "progress", None)


def count_groups(frame: DataFrame, keys: Sequence[str], function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` counted in the running model's progress; `function` itself outside a model run."""
    progress = current()
    return function if progress is None else progress.count_groups(frame, keys, function)


def _counting(function: Callable[..., Any], done: Accumulator[int]) -> Callable[..., Any]:
    """A wrapper with the same number of arguments: applyInPandas passes the key when there are two."""
    # The count PySpark goes by: positional arguments (a partial's bound keywords are not).
    if len(inspect.getfullargspec(function).args) == 2:

        def with_key(key: Any, frame: Any) -> Any:
            result = function(key, frame)
            done.add(1)
            return result

        return with_key

    def without_key(frame: Any) -> Any:
        result = function(frame)
        done.add(1)
        return result

    return without_key
