"""dbt-tests-adapter's persist_docs suite: relation and column comments on Delta tables and views."""

from __future__ import annotations

import pytest
from dbt.tests.adapter.persist_docs.test_persist_docs import BasePersistDocs, BasePersistDocsColumnMissing

from pytests.adapter.conformance import full_only

pytestmark = pytest.mark.integration


class TestPersistDocs(BasePersistDocs):
    pass


@full_only
class TestPersistDocsColumnMissing(BasePersistDocsColumnMissing):
    pass
