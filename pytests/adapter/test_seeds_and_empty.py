"""dbt-tests-adapter's seed and `--empty` suites: an empty seed, models built with `--empty`."""

from __future__ import annotations

import pytest
from dbt.tests.adapter.empty.test_empty import BaseTestEmpty
from dbt.tests.adapter.simple_seed.test_seed import BaseTestEmptySeed

pytestmark = pytest.mark.integration


class TestEmptySeed(BaseTestEmptySeed):
    pass


class TestRunWithEmpty(BaseTestEmpty):
    pass
