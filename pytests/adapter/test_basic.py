"""dbt-tests-adapter's basic suite: materializations, tests, empty, ephemeral, incremental, snapshots."""

from __future__ import annotations

import pytest
from dbt.tests.adapter.basic.test_adapter_methods import BaseAdapterMethod
from dbt.tests.adapter.basic.test_base import BaseSimpleMaterializations
from dbt.tests.adapter.basic.test_empty import BaseEmpty
from dbt.tests.adapter.basic.test_ephemeral import BaseEphemeral
from dbt.tests.adapter.basic.test_generic_tests import BaseGenericTests
from dbt.tests.adapter.basic.test_incremental import BaseIncremental, BaseIncrementalNotSchemaChange
from dbt.tests.adapter.basic.test_singular_tests import BaseSingularTests
from dbt.tests.adapter.basic.test_singular_tests_ephemeral import BaseSingularTestsEphemeral
from dbt.tests.adapter.basic.test_snapshot_check_cols import BaseSnapshotCheckCols
from dbt.tests.adapter.basic.test_snapshot_timestamp import BaseSnapshotTimestamp
from dbt.tests.adapter.basic.test_validate_connection import BaseValidateConnection

from pytests.adapter.conformance import DELTA_PROJECT, full_only

pytestmark = pytest.mark.integration


class TestSimpleMaterializations(BaseSimpleMaterializations):
    pass


class TestSingularTests(BaseSingularTests):
    pass


@full_only
class TestSingularTestsEphemeral(BaseSingularTestsEphemeral):
    pass


class TestEmpty(BaseEmpty):
    pass


@full_only
class TestEphemeral(BaseEphemeral):
    pass


@full_only
class TestIncremental(BaseIncremental):
    pass


@full_only
class TestIncrementalNotSchemaChange(BaseIncrementalNotSchemaChange):
    pass


@full_only
class TestGenericTests(BaseGenericTests):
    pass


@full_only
class TestSnapshotCheckCols(BaseSnapshotCheckCols):
    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return {"name": "snapshot_strategy_check_cols", **DELTA_PROJECT}


class TestSnapshotTimestamp(BaseSnapshotTimestamp):
    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return {"name": "snapshot_strategy_timestamp", **DELTA_PROJECT}


@full_only
class TestBaseAdapterMethod(BaseAdapterMethod):
    pass


class TestValidateConnection(BaseValidateConnection):
    pass
