"""dbt's adapter conformance suite (dbt-tests-adapter) against the `casebook` adapter's `session` method.

dbt-tests-adapter's fixtures give every test class its own dbt project and schema; the class's dbt
runs share this process's SparkSession, whose warehouse and metastore live in the session's data
folder under pytest's temp folder (`engine_data_dir`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbt.tests.fixtures.project import *  # noqa: F403  (dbt-tests-adapter's `project` fixtures)


@pytest.fixture(scope="class")
def dbt_profile_target(engine_data_dir: Path) -> dict[str, object]:
    """The casebook session target: in-process Spark with Delta, data under the session's temp folder."""
    return {"type": "casebook", "method": "session", "threads": 1}


@pytest.fixture(scope="class")
def logs_dir(prefix: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """dbt's log of each class under pytest's temp folder (dbt-tests-adapter's default is ./logs)."""
    folder = tmp_path_factory.mktemp("dbt-logs") / prefix
    os.environ["DBT_LOG_PATH"] = str(folder)
    yield str(folder)
    del os.environ["DBT_LOG_PATH"]
