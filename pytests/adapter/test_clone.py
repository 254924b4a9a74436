"""dbt-tests-adapter's clone suite: Delta shallow clones of the state's tables into another schema."""

from __future__ import annotations

import pytest
from dbt.tests.adapter.dbt_clone.test_dbt_clone import BaseClonePossible

from pytests.adapter.conformance import DELTA_PROJECT, full_only

pytestmark = pytest.mark.integration


@full_only
class TestClonePossible(BaseClonePossible):
    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return {**DELTA_PROJECT, "seeds": {**DELTA_PROJECT["seeds"], "test": {"quote_columns": False}}}

    @pytest.fixture(autouse=True)
    def clean_up(self, project, other_schema: str):
        yield
        with project.adapter.connection_named("__test"):
            for schema in (other_schema, project.test_schema):
                relation = project.adapter.Relation.create(database=project.database, schema=schema)
                project.adapter.drop_schema(relation)
