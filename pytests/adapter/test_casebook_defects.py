"""Regression tests for the adapter defects dbt's conformance suite showed on Spark 4 + Delta 4.

Each class runs real dbt commands on the session's SparkSession, in its own schema.
"""

from __future__ import annotations

import pytest
from dbt.tests.util import run_dbt, run_dbt_and_capture, write_file

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

        # A rebuild under the same contract is one Delta commit that overwrites the rows.
        versions_before = _history(project)
        run_dbt(["run"])
        added = _history(project)[len(versions_before) :]
        writes = [operation for _, operation in added if "TABLE" in operation or operation == "WRITE"]
        assert writes == ["WRITE"], added

        # Delta refuses the whole overwrite when a row breaks a constraint: the old rows stay.
        write_file(CONTRACTED_NULL_SQL, project.project_root, "models", "contracted.sql")
        results, _ = run_dbt_and_capture(["run"], expect_pass=False)
        message = results.results[0].message
        assert "Model contracted breaks its contract (" in message, message
        assert "constraint" in message and "was left as it was" in message, message
        assert "Traceback" not in message and "\tat org.apache" not in message, message
        assert [tuple(row) for row in _rows(project)] == [(1, "blue")], "a refused build keeps the table"

        # A changed contract re-creates the table: its rows are counted against the constraints first.
        changed_contract = CONTRACTED_MODEL_YML.replace("id > 0", "id > -1")
        write_file(changed_contract, project.project_root, "models", "schema.yml")
        results, _ = run_dbt_and_capture(["run"], expect_pass=False)
        message = results.results[0].message
        assert (
            "Model contracted (models/contracted.sql) breaks its contract: column id is not null (1 row)"
            in (message)
        )
        assert [tuple(row) for row in _rows(project)] == [(1, "blue")], "a refused build keeps the table"


def _rows(project) -> list:
    return project.run_sql(f"select id, color from {project.test_schema}.contracted", fetch="all")


def _history(project) -> list[tuple[int, str]]:
    rows = project.run_sql(f"describe history {project.test_schema}.contracted", fetch="all")
    return sorted((int(row[0]), str(row[4])) for row in rows)


class TestMergeWithUnknownKey:
    """An incremental merge on a key column the model does not have names the model and the column."""

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"merged.sql": INCREMENTAL_SQL}

    def test_error_names_model_and_key(self, project) -> None:
        run_dbt(["run"])
        results, _ = run_dbt_and_capture(["run", "--vars", "{key: customer_id}"], expect_pass=False)
        message = results.results[0].message
        assert "INTERNAL_ERROR" not in message and "\tat " not in message, message
        # dbt's header line, then Casebook's one sentence.
        sentence = message.splitlines()[-1].strip()
        assert sentence.startswith(
            f"Incremental model merged cannot merge into {project.test_schema}.merged on its unique_key "
            "customer_id: that column is not in the model's query"
        ), message


SOURCES_YML = """
sources:
  - name: raw
    schema: "{{ target.schema }}_raw"
    tables:
      - name: orders
"""
FROM_SOURCE_SQL = """
{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }}
select id, color from {{ source('raw', 'orders') }}
"""


class TestDocsGenerateAfterRun:
    """`dbt docs generate` in a process whose session holds a temporary view (left by an incremental
    merge): the catalog lists the source's schema, which no run cached, and must skip the view."""

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"merged.sql": FROM_SOURCE_SQL, "sources.yml": SOURCES_YML}

    def test_catalog_ignores_temporary_views(self, project) -> None:
        raw = f"{project.test_schema}_raw"
        project.run_sql(f"create schema if not exists {raw}")
        try:
            project.run_sql(f"create table {raw}.orders using delta as select 1 as id, 'blue' as color")
            run_dbt(["run"])
            run_dbt(["run"])  # the merge leaves the temporary view merged__dbt_tmp in the session
            with project.adapter.connection_named("__test"):
                schema = project.adapter.Relation.create(
                    database=project.database, schema=project.test_schema
                )
                listed = project.adapter.list_relations_without_caching(schema)
            assert {(r.schema, r.identifier) for r in listed} == {(project.test_schema, "merged")}
            catalog = run_dbt(["docs", "generate"])
            assert "model.test.merged" in catalog.nodes
            assert "source.test.raw.orders" in catalog.sources
            assert not catalog.errors
        finally:
            project.run_sql(f"drop schema if exists {raw} cascade")


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
