"""dbt-tests-adapter's Python model suite, run by Casebook's in-process `session` submission method."""

from __future__ import annotations

import pytest
from dbt.tests.adapter.python_model.test_python_model import BasePythonIncrementalTests, BasePythonModelTests
from dbt.tests.adapter.python_model.test_spark import BasePySparkTests
from dbt.tests.util import run_dbt

from pytests.adapter.conformance import DELTA_PROJECT, full_only

pytestmark = pytest.mark.integration


class TestPythonModel(BasePythonModelTests):
    pass


class TestPythonIncremental(BasePythonIncrementalTests):
    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return DELTA_PROJECT


@full_only
class TestPySparkDataFrames(BasePySparkTests):
    def test_different_dataframes(self, project) -> None:
        """pandas, PySpark and pandas-on-Spark frames; koalas is pyspark.pandas since Spark 3.2."""
        results = run_dbt(["run", "--exclude", "koalas_df"])
        assert len(results) == 3
