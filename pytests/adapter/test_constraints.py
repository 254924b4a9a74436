"""dbt-tests-adapter's constraints suite: contracts, and column constraints Delta enforces.

Open-source Delta enforces NOT NULL (declared in the CREATE) and CHECK (ALTER ... ADD CONSTRAINT);
primary, unique and foreign keys are informational only (Unity Catalog), so dbt warns and skips them.
"""

from __future__ import annotations

import pytest
from dbt.tests.adapter.constraints.fixtures import (
    model_schema_yml,
    my_incremental_model_sql,
    my_model_incremental_wrong_name_sql,
    my_model_incremental_wrong_order_sql,
    my_model_sql,
    my_model_view_wrong_name_sql,
    my_model_view_wrong_order_sql,
    my_model_wrong_name_sql,
    my_model_wrong_order_sql,
)
from dbt.tests.adapter.constraints.test_constraints import (
    BaseConstraintsRollback,
    BaseIncrementalConstraintsColumnsEqual,
    BaseIncrementalConstraintsRollback,
    BaseTableConstraintsColumnsEqual,
    BaseViewConstraintsColumnsEqual,
)

from pytests.adapter.conformance import full_only

pytestmark = pytest.mark.integration

# Spark has no type named `text`; Delta has no enforced primary key.
CONSTRAINTS_YML = model_schema_yml.replace("text", "string").replace("primary key", "")
DELTA_MODELS = {"models": {"+file_format": "delta"}}


class SparkTypes:
    """Spark's names of the types the contract tests compare (sql value, schema type, error type)."""

    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return DELTA_MODELS

    @pytest.fixture
    def string_type(self) -> str:
        return "string"

    @pytest.fixture
    def int_type(self) -> str:
        return "int"

    @pytest.fixture
    def schema_string_type(self) -> str:
        return "string"

    @pytest.fixture
    def schema_int_type(self) -> str:
        return "int"

    @pytest.fixture
    def data_types(self) -> list[list[str]]:
        # The session cursor names a column's type as Spark's simpleString: decimal keeps its precision.
        return [
            ["1", "int", "int"],
            ['"1"', "string", "string"],
            ["true", "boolean", "boolean"],
            ['array("1","2","3")', "array<string>", "array<string>"],
            ["array(1,2,3)", "array<int>", "array<int>"],
            ["cast('2019-01-01' as date)", "date", "date"],
            ["cast('2019-01-01' as timestamp)", "timestamp", "timestamp"],
            ["cast(1.0 AS DECIMAL(4, 2))", "decimal(4,2)", "decimal(4,2)"],
        ]


@full_only
class TestTableConstraintsColumnsEqual(SparkTypes, BaseTableConstraintsColumnsEqual):
    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {
            "my_model_wrong_order.sql": my_model_wrong_order_sql,
            "my_model_wrong_name.sql": my_model_wrong_name_sql,
            "constraints_schema.yml": CONSTRAINTS_YML,
        }


@full_only
class TestViewConstraintsColumnsEqual(SparkTypes, BaseViewConstraintsColumnsEqual):
    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {
            "my_model_wrong_order.sql": my_model_view_wrong_order_sql,
            "my_model_wrong_name.sql": my_model_view_wrong_name_sql,
            "constraints_schema.yml": CONSTRAINTS_YML,
        }


@full_only
class TestIncrementalConstraintsColumnsEqual(SparkTypes, BaseIncrementalConstraintsColumnsEqual):
    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {
            "my_model_wrong_order.sql": my_model_incremental_wrong_order_sql,
            "my_model_wrong_name.sql": my_model_incremental_wrong_name_sql,
            "constraints_schema.yml": CONSTRAINTS_YML,
        }


class DeltaViolations:
    """Casebook's refusal of a model that breaks its contract, before Delta's table is touched."""

    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return DELTA_MODELS

    @pytest.fixture(scope="class")
    def expected_error_messages(self) -> list[str]:
        return ["breaks its contract"]

    def assert_expected_error_messages(self, error_message: str, expected_error_messages: list[str]) -> None:
        assert any(message in error_message for message in expected_error_messages), error_message


class TestTableConstraintsRollback(DeltaViolations, BaseConstraintsRollback):
    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"my_model.sql": my_model_sql, "constraints_schema.yml": CONSTRAINTS_YML}


class TestIncrementalConstraintsRollback(DeltaViolations, BaseIncrementalConstraintsRollback):
    """An incremental run appends to a table that exists: Delta refuses the rows, Casebook says so."""

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"my_model.sql": my_incremental_model_sql, "constraints_schema.yml": CONSTRAINTS_YML}
