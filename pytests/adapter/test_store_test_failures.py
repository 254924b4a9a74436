"""dbt-tests-adapter's store_test_failures suite: failing rows stored as Delta tables."""

from __future__ import annotations

import pytest
from dbt.tests.adapter.store_test_failures_tests import basic
from dbt.tests.adapter.store_test_failures_tests.test_store_test_failures import (
    TEST_AUDIT_SCHEMA_SUFFIX,
    BaseStoreTestFailures,
)

from pytests.adapter.conformance import full_only

pytestmark = pytest.mark.integration


@full_only
class TestStoreTestFailuresDelta(BaseStoreTestFailures):
    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return {
            "seeds": {"quote_columns": False, "test": self.column_type_overrides(), "+file_format": "delta"},
            "data_tests": {"+schema": TEST_AUDIT_SCHEMA_SUFFIX, "+store_failures": True},
        }


@full_only
class TestStoreTestFailuresAsInteractions(basic.StoreTestFailuresAsInteractions):
    pass


@full_only
class TestStoreTestFailuresAsProjectLevelOff(basic.StoreTestFailuresAsProjectLevelOff):
    pass


@full_only
class TestStoreTestFailuresAsProjectLevelView(basic.StoreTestFailuresAsProjectLevelView):
    pass


@full_only
class TestStoreTestFailuresAsGeneric(basic.StoreTestFailuresAsGeneric):
    pass


@full_only
class TestStoreTestFailuresAsProjectLevelEphemeral(basic.StoreTestFailuresAsProjectLevelEphemeral):
    pass


@full_only
class TestStoreTestFailuresAsExceptions(basic.StoreTestFailuresAsExceptions):
    pass
