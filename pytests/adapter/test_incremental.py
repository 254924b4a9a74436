"""dbt-tests-adapter's incremental suite on Delta: merge, unique keys, on_schema_change, predicates."""

from __future__ import annotations

import pytest
from dbt.tests.adapter.incremental.test_incremental_merge_exclude_columns import BaseMergeExcludeColumns
from dbt.tests.adapter.incremental.test_incremental_on_schema_change import (
    BaseIncrementalOnSchemaChangeSetup,
)
from dbt.tests.adapter.incremental.test_incremental_predicates import BaseIncrementalPredicates
from dbt.tests.adapter.incremental.test_incremental_unique_id import BaseIncrementalUniqueKey
from dbt.tests.util import run_dbt

from pytests.adapter.conformance import full_only

pytestmark = pytest.mark.integration

MERGE = {"models": {"+file_format": "delta", "+incremental_strategy": "merge"}}


@full_only
class TestUniqueKeyMerge(BaseIncrementalUniqueKey):
    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return MERGE


@full_only
class TestMergeExcludeColumns(BaseMergeExcludeColumns):
    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return MERGE


PREDICATES_SQL = """
{{ config(materialized='incremental', unique_key='id') }}
{% if not is_incremental() %}
select cast(1 as bigint) as id, 'hello' as msg, 'blue' as color
union all
select cast(2 as bigint) as id, 'goodbye' as msg, 'red' as color
{% else %}
select cast(1 as bigint) as id, 'hey' as msg, 'blue' as color
union all
select cast(2 as bigint) as id, 'yo' as msg, 'green' as color
union all
select cast(3 as bigint) as id, 'anyway' as msg, 'purple' as color
{% endif %}
"""


@full_only
class TestIncrementalPredicatesMerge(BaseIncrementalPredicates):
    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return {"models": {**MERGE["models"], "+incremental_predicates": ["dbt_internal_dest.id != 2"]}}

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"delete_insert_incremental_predicates.sql": PREDICATES_SQL}


@full_only
class TestOnSchemaChangeMerge(BaseIncrementalOnSchemaChangeSetup):
    """Delta's merge adds new columns; it cannot drop them, so sync_all_columns must fail cleanly."""

    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return {"models": {**MERGE["models"], "+unique_key": "id"}}

    def test_run_incremental_ignore(self, project) -> None:
        select = "model_a incremental_ignore incremental_ignore_target"
        self.run_twice_and_assert(select, "incremental_ignore", "incremental_ignore_target", project)

    def test_run_incremental_append_new_columns(self, project) -> None:
        self.run_incremental_append_new_columns(project)

    def test_run_incremental_fail_on_schema_change(self, project) -> None:
        run_dbt(["run", "--models", "model_a incremental_fail", "--full-refresh"])
        results = run_dbt(["run", "--models", "model_a incremental_fail"], expect_pass=False)
        assert "Compilation Error" in results[1].message

    def test_run_incremental_sync_all_columns(self, project) -> None:
        select = "model_a incremental_sync_all_columns incremental_sync_all_columns_target"
        run_dbt(["run", "--models", select, "--full-refresh"])
        results = run_dbt(["run", "--models", select], expect_pass=False)
        assert "Compilation Error" in results[1].message
