"""Regression tests for the adapter defects dbt's conformance suite showed on Spark 4 + Delta 4.

Each class runs real dbt commands on the session's SparkSession, in its own schema.
"""

from __future__ import annotations

import pytest
from dbt.tests.util import run_dbt, run_dbt_and_capture

from pytests.adapter.conformance import DELTA_PROJECT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="class")
def project_config_update() -> dict:
    return DELTA_PROJECT


CONTRACTED_MODEL_YML = """
models:
  - name: contracted
    config:
      contract: {enforced: true}
    columns:
      - name: id
        data_type: int
        constraints:
          - type: not_null
          - type: check
            expression: "id > 0"
      - name: color
        data_type: string
        constraints:
          - type: not_null
"""

CONTRACTED_OK_SQL = "{{ config(materialized='table') }} select 1 as id, 'blue' as color"
CONTRACTED_NULL_SQL = "{{ config(materialized='table') }} select cast(null as int) as id, 'red' as color"
INCREMENTAL_SQL = """
{{ config(materialized='incremental', unique_key=var('key', 'id'), incremental_strategy='merge') }}
select 1 as id, 'blue' as color
"""


class TestContractedNotNullTable:
    """A contracted Delta table with a not_null constraint builds, and a null row is refused."""

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"contracted.sql": CONTRACTED_OK_SQL, "schema.yml": CONTRACTED_MODEL_YML}

    def test_builds_and_refuses_null(self, project) -> None:
        run_dbt(["run"])
        rows = project.run_sql(f"select id, color from {project.test_schema}.contracted", fetch="all")
        assert [tuple(row) for row in rows] == [(1, "blue")]
        described = project.run_sql(f"describe table extended {project.test_schema}.contracted", fetch="all")
        assert any("delta.constraints" in str(row[1]) and "id > 0" in str(row[1]) for row in described)
        with pytest.raises(Exception, match="NOT NULL constraint violated for column: color"):
            project.run_sql(f"insert into {project.test_schema}.contracted values (2, null)")
        with pytest.raises(Exception, match=r"CHECK constraint \w+ \(id > 0\) violated"):
            project.run_sql(f"insert into {project.test_schema}.contracted values (null, 'green')")

        (project.project_root / "models" / "contracted.sql").write_text(CONTRACTED_NULL_SQL)
        results, _ = run_dbt_and_capture(["run"], expect_pass=False)
        message = results.results[0].message
        assert (
            "Model contracted (models/contracted.sql) breaks its contract: column id is not null (1 row)"
            in (message)
        )
        rows = project.run_sql(f"select id, color from {project.test_schema}.contracted", fetch="all")
        assert [tuple(row) for row in rows] == [(1, "blue")], "a refused build keeps the table as it was"


class TestMergeWithUnknownKey:
    """An incremental merge on a key column the model does not have names the model and the column."""

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"merged.sql": INCREMENTAL_SQL}

    def test_error_names_model_and_key(self, project) -> None:
        run_dbt(["run"])
        results, _ = run_dbt_and_capture(["run", "--vars", "{key: customer_id}"], expect_pass=False)
        message = results.results[0].message
        assert "merged" in message and "customer_id" in message, message
        assert "unique_key" in message, message
        assert "INTERNAL_ERROR" not in message and "\tat " not in message, message
        assert "\n" not in message.strip(), message


class TestDocsGenerateAfterRun:
    """`dbt docs generate` in a process whose session holds temporary views (left by incremental runs)."""

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"merged.sql": INCREMENTAL_SQL}

    def test_catalog_ignores_temporary_views(self, project) -> None:
        run_dbt(["run"])
        run_dbt(["run"])  # the merge leaves the temporary view merged__dbt_tmp in the session
        catalog = run_dbt(["docs", "generate"])
        assert "model.test.merged" in catalog.nodes
        assert not catalog.errors


class TestCloneOntoExistingDeltaTable:
    """`dbt clone --full-refresh` replaces an existing Delta table with the state's table."""

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"cloned.sql": "{{ config(materialized='table') }} select 1 as id"}

    def test_clone_replaces_existing_table(self, project, tmp_path) -> None:
        state = tmp_path / "state"
        run_dbt(["run", "--target-path", str(state)])
        other = f"{project.test_schema}_clone"
        project.run_sql(f"create schema if not exists {other}")
        try:
            project.run_sql(f"create table {other}.cloned using delta as select 2 as id")
            results = run_dbt(["clone", "--state", str(state), "--full-refresh", "--target", "otherschema"])
            assert len(results) == 1
            rows = project.run_sql(f"select id from {other}.cloned", fetch="all")
            assert [tuple(row) for row in rows] == [(1,)]
        finally:
            project.run_sql(f"drop schema if exists {other} cascade")

    @pytest.fixture(scope="class")
    def profiles_config_update(self, dbt_profile_target, unique_schema):
        outputs = {"default": dbt_profile_target, "otherschema": dict(dbt_profile_target)}
        outputs["default"]["schema"] = unique_schema
        outputs["otherschema"]["schema"] = f"{unique_schema}_clone"
        return {"test": {"outputs": outputs, "target": "default"}}
