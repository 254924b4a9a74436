"""Engine faults in one sentence, and a crashed task retried (issue #14, item 4, engine part).

A malformed CASEBOOK_SPARK_MASTER, a Python worker killed in the middle of a query, and a disk that
fills up while dbt writes a table (a small tmpfs as the data folder, when this machine allows mounts).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytests.conftest import REPO_ROOT, VENV_BIN, dbt_command


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CASEBOOK_")}
    return {**env, "CASEBOOK_DATA_DIR": str(data_dir), **extra}


@pytest.mark.parametrize("master", ["locl[2]", "local[two]", "spark:/127.0.0.1:7077"])
def test_a_malformed_spark_master_is_one_sentence_and_exit_2(tmp_path: Path, master: str) -> None:
    result = subprocess.run(
        [str(VENV_BIN / "casebook"), "sql", "select 1"],
        cwd=REPO_ROOT, env=_env(tmp_path, CASEBOOK_SPARK_MASTER=master),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr[-3000:]
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message[-3000:]
    assert "CASEBOOK_SPARK_MASTER" in message and repr(master) in message and "local[N]" in message


KILL_ONCE = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from pyspark.sql.functions import udf
    from pyspark.sql.types import LongType
    from casebook.engine import get_spark

    marker = Path(sys.argv[1])

    def plus_one(value):
        if not marker.exists():  # the first attempt's Python worker dies as if killed -9
            marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), 9)
        return value + 1

    spark = get_spark()
    rows = spark.range(10).select(udf(plus_one, LongType())("id").alias("x")).groupBy().sum("x").collect()
    print("total", rows[0][0])
    """
)


@pytest.mark.integration
def test_a_killed_python_worker_is_retried_and_the_query_succeeds(tmp_path: Path) -> None:
    marker = tmp_path / "killed-once"
    result = subprocess.run(
        [sys.executable, "-c", KILL_ONCE, str(marker)],
        cwd=REPO_ROOT, env=_env(tmp_path / "data"), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert marker.is_file(), "the Python worker was never killed: " + result.stderr[-3000:]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "total 55" in result.stdout


BIG_MODEL = """
select id, sha2(cast(id as string), 512) as a, sha2(cast(id * 7 as string), 512) as b
from range(600000)
"""


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 40 MB tmpfs as the data folder: a 100 MB table fills it."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip()}): needs root")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


@pytest.mark.integration
def test_a_full_disk_during_dbt_is_one_casebook_sentence_first(tmp_path: Path, small_disk: Path) -> None:
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        'name: casebook_disk_full\nversion: "0.1.0"\nconfig-version: 2\nprofile: casebook\n'
        'model-paths: ["models"]\nmodels:\n  +file_format: delta\n  +materialized: table\n'
    )
    (project / "models" / "big.sql").write_text(BIG_MODEL)
    target = tmp_path / "target"
    result = subprocess.run(
        dbt_command("run", target_path=target, project_dir=project),
        cwd=REPO_ROOT, env=_env(small_disk, CASEBOOK_TASK_MAX_FAILURES="1"),
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-4000:]
    assert f"no space left on device under {small_disk}" in output, output[-4000:]
    assert "free space there" in output
    # Spark's trace is in dbt's log, not on the console.
    assert "at org.apache" not in output and "java.io.IOException" not in output, output[-4000:]
    assert len(output.splitlines()) < 60, output[-4000:]
    assert "No space left on device" in (target / "logs" / "dbt.log").read_text()
