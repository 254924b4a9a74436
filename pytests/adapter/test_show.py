"""dbt-tests-adapter's `dbt show` suite."""

from __future__ import annotations

import pytest
from dbt.tests.adapter.dbt_show.test_dbt_show import BaseShowLimit, BaseShowSqlHeader

from pytests.adapter.conformance import full_only

pytestmark = pytest.mark.integration


@full_only
class TestShowLimit(BaseShowLimit):
    pass


@full_only
class TestShowSqlHeader(BaseShowSqlHeader):
    pass
