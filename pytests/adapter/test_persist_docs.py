"""dbt-tests-adapter's persist_docs suite: relation and column comments on Delta tables."""

from __future__ import annotations

import pytest
from dbt.tests.adapter.persist_docs.test_persist_docs import (
    BasePersistDocs,
    BasePersistDocsBase,
    BasePersistDocsColumnMissing,
)

from pytests.adapter.conformance import full_only

pytestmark = pytest.mark.integration

PERSIST_ALL = {"+persist_docs": {"relation": True, "columns": True}, "+file_format": "delta"}


@pytest.mark.skip(
    reason="dbt-spark's catalog.json carries no comments; TestPersistDocsInTables reads the tables"
)
class TestPersistDocs(BasePersistDocs):
    pass


class TestPersistDocsInTables(BasePersistDocsBase):
    """The suite's models and descriptions, with the comments read back from the Delta table."""

    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return {"models": {"test": PERSIST_ALL}}

    def test_table_and_column_comments(self, project) -> None:
        rows = project.run_sql(f"describe table extended {project.test_schema}.table_model", fetch="all")
        by_name = {str(row[0]).strip(): row for row in rows}
        assert str(by_name["Comment"][1]).startswith('Table model description "with double quotes"')
        assert str(by_name["id"][2]).startswith('id Column description "with double quotes"')


@full_only
class TestPersistDocsColumnMissing(BasePersistDocsColumnMissing):
    pass
