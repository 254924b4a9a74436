"""The casebook adapter's pure parts: contract DDL and checks, the merge-key sentence, temporary views."""

from __future__ import annotations

from dbt.adapters.casebook import contracts
from dbt.adapters.casebook.errors import contract_violation_message, merge_key_message
from dbt.adapters.casebook.impl import is_temporary

COLUMNS = {
    "id": {
        "name": "id",
        "data_type": "int",
        "constraints": [
            {"type": "not_null"},
            {"type": "check", "expression": "id > 0", "name": "positive_id"},
        ],
    },
    "color": {"name": "color", "data_type": "string", "constraints": []},
    "from": {"name": "from", "data_type": "date", "constraints": [{"type": "not_null"}]},
}
MODEL_CONSTRAINTS = [{"type": "check", "expression": "color <> 'red'", "columns": ["color"]}]


def test_not_null_columns_are_declared_in_the_create() -> None:
    assert contracts.column_ddl(COLUMNS) == ["`id` int not null", "`color` string", "`from` date not null"]


def test_checks_are_named_and_unnamed_ones_get_a_stable_name() -> None:
    checks = contracts.checks(COLUMNS, MODEL_CONSTRAINTS)
    assert (checks[0].name, checks[0].expression) == ("positive_id", "id > 0")
    assert checks[1].name.startswith("check_") and checks[1].expression == "color <> 'red'"
    assert contracts.checks(COLUMNS, MODEL_CONSTRAINTS)[1].name == checks[1].name


def test_violations_are_counted_per_constraint_nulls_breaking_checks() -> None:
    sql = contracts.violations_sql(COLUMNS, MODEL_CONSTRAINTS, "select 1 as id")
    assert sql is not None
    assert "count_if(`id` is null)" in sql and "count_if(`from` is null)" in sql
    assert "count_if(not coalesce(id > 0, false))" in sql
    assert contracts.violations_sql({"c": {"name": "c", "data_type": "int"}}, [], "select 1") is None


def test_violation_message_names_model_file_and_each_broken_constraint() -> None:
    model = {"name": "fct_x", "original_file_path": "models/marts/fct_x.sql"}
    message = contracts.violation_message(model, COLUMNS, MODEL_CONSTRAINTS, [2, 0, 1, 0])
    assert message == (
        "Model fct_x (models/marts/fct_x.sql) breaks its contract: column id is not null (2 rows); "
        "check (id > 0) (1 row) violated; the table was left as it was: fix the model's query or the "
        "constraint in its YAML."
    )
    assert contracts.violation_message(model, COLUMNS, MODEL_CONSTRAINTS, [0, 0, 0, 0]) is None


MERGE_SQL = """
  merge into `analytics`.`orders` as DBT_INTERNAL_DEST
      using `orders__dbt_tmp` as DBT_INTERNAL_SOURCE
      on DBT_INTERNAL_SOURCE.customer_id = DBT_INTERNAL_DEST.customer_id
      when matched then update set *
"""
DELTA_ERROR = (
    "[INTERNAL_ERROR] Cannot find main error class 'DELTA_MERGE_UNRESOLVED_EXPRESSION' SQLSTATE: XX000\n"
    "\tat org.apache.spark.SparkException$.internalError(SparkException.scala:92)"
)


def test_unresolved_merge_key_is_one_sentence_naming_model_and_key() -> None:
    message = merge_key_message(DELTA_ERROR, MERGE_SQL)
    assert message == (
        "Incremental model orders cannot merge into analytics.orders on its unique_key customer_id: "
        "that column is not in the model's query or not in the existing table; set unique_key in the "
        "model's config to columns the model selects (and run it with --full-refresh if the existing "
        "table lacks them)."
    )


def test_other_errors_and_statements_are_left_alone() -> None:
    assert merge_key_message("[TABLE_OR_VIEW_NOT_FOUND] x", MERGE_SQL) is None
    assert merge_key_message(DELTA_ERROR, "select 1") is None


def test_temporary_views_are_told_apart_from_tables() -> None:
    assert is_temporary(("", "orders__dbt_tmp", True, "Type: VIEW"))
    assert is_temporary(("", "orders__dbt_tmp", "true"))
    assert not is_temporary(("analytics", "orders", False, "Type: MANAGED"))


INSERT_SQL = "insert into table `analytics`.`fct_x` select * from `fct_x__dbt_tmp`"
DELTA_CHECK_ERROR = (
    "[DELTA_VIOLATE_CONSTRAINT_WITH_VALUES] "
    "CHECK constraint check_1e51 (id > 0) violated by row with values:\n"
    " - id : null SQLSTATE: 23001\n"
    "\tat org.apache.spark.sql.delta.schema.DeltaInvariantCheckerExec"
)


def test_delta_refused_write_is_one_sentence_with_the_rows_values() -> None:
    assert contract_violation_message(DELTA_CHECK_ERROR, INSERT_SQL) == (
        "Model fct_x breaks its contract (CHECK constraint check_1e51 (id > 0) violated by row with values: "
        "id : null); analytics.fct_x was left as it was: fix the model's query or the "
        "constraint in its YAML."
    )
    assert contract_violation_message(DELTA_CHECK_ERROR, "select 1") is None
