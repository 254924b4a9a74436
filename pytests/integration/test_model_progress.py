"""Progress of long Python models: groups done / total, with elapsed time, while applyInPandas runs."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest
from dbt.cli.main import dbtRunner

from casebook.progress import ModelProgress
from casebook.spark import apply_per_group
from pytests.conftest import dbt_command
from pytests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration


def _slow_sum(frame: pd.DataFrame) -> pd.DataFrame:
    time.sleep(0.3)
    return pd.DataFrame({"g": [frame["g"].iloc[0]], "total": [int(frame["v"].sum())]})


def test_progress_lines_count_groups_while_they_run(spark) -> None:
    frame = spark.range(0, 80).selectExpr("id % 8 as g", "id as v")
    lines: list[str] = []
    with ModelProgress(spark, "int_example", lines.append, interval=0.1):
        rows = apply_per_group(frame, ["g"], _slow_sum, "g long, total long").collect()
    assert sorted((row.g, row.total) for row in rows) == [(g, sum(range(g, 80, 8))) for g in range(8)]
    assert re.fullmatch(r"int_example: 8/8 groups by g, \d+ s", lines[-1]), lines
    counts = [
        int(match.group(1)) for line in lines if (match := re.match(r"int_example: (\d)/8 groups", line))
    ]
    # Lines came while the groups ran, never counting down.
    assert counts[0] < 8 and counts == sorted(counts), lines
    assert any(re.search(r"\(\d+/\d+ tasks\)", line) for line in lines[:-1]), lines


def test_apply_per_group_counts_nothing_outside_a_model_run(spark) -> None:
    frame = spark.range(0, 8).selectExpr("id % 2 as g", "id as v")
    rows = apply_per_group(frame, ["g"], _slow_sum, "g long, total long").collect()
    assert len(rows) == 2


def test_dbt_log_shows_a_python_models_groups(
    warehouse: Warehouse, first_build, spark, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEBOOK_PROGRESS_SECONDS", "0.2")
    messages: list[str] = []
    command = dbt_command("run", "--select", "int_ticks__spread_stats", target_path=warehouse.target_path)
    result = dbtRunner(callbacks=[lambda event: messages.append(event.info.msg)]).invoke(command[1:])
    assert result.success, result.exception
    symbols = spark.table("intermediate.int_ticks__spread_stats").count()
    # dbt shows an adapter's lines as "Casebook adapter: ...".
    lines = [m.removeprefix("Casebook adapter: ") for m in messages if m.startswith("Casebook adapter: ")]
    progress = [line for line in lines if line.startswith("int_ticks__spread_stats: ")]
    assert symbols > 1
    assert re.fullmatch(
        rf"int_ticks__spread_stats: {symbols}/{symbols} groups by symbol, \d+ s", progress[-1]
    )
    assert len(progress) > 1, progress
