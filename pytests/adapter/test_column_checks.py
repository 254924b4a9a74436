"""The `column_checks` generic test: a model's one-column checks in one query, each meaning what the
one-column test of the same name means.

A model of literal rows breaks every kind of check a known number of times; the counts it must report
are computed here from the checks' definitions (pandas over the same rows), and the one-column tests
(dbt's own `not_null` and `accepted_values`, the project's `accepted_range` and `expression_is_true`)
run beside it on the same model and must fail exactly where it says.
"""

from __future__ import annotations

import pandas as pd
import pytest
from dbt.tests.util import run_dbt
from dbt_common.exceptions import CompilationError

from pytests.adapter.conformance import DELTA_PROJECT
from pytests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration


def _generic_tests(*names: str) -> dict[str, str]:
    """The project's generic tests of these names, as macro files of a test project."""
    return {f"{name}.sql": (REPO_ROOT / "tests" / "generic" / f"{name}.sql").read_text() for name in names}


ROWS = [
    # id, code, price, size, flag
    (1, "a", 1.5, 10, True),
    (2, None, 0.0, 0, True),
    (3, "b", -0.5, 100, False),
    (4, "z", 2.0, None, None),
    (5, "it's", 99.0, 101, True),
    (7, "c-d", 3.0, 5, False),
    (None, "a", None, 5, True),
    # Grain checks: id 3 again, and (code, size) = (null, 0) again (nulls match nulls in a group by);
    # a second null id is no duplicate.
    (3, None, 0.0, 0, True),
    (None, "b", 1.0, 7, False),
]
COLUMNS = ["id", "code", "price", "size", "flag"]
TYPES = ["int", "string", "double", "int", "boolean"]

CHECKS_YML = """
models:
  - name: checked
    data_tests:
      - column_checks:
          arguments:
            not_null: [id, code, price]
            not_null_where:
              flag: [code, size]
              "price > 0": [size]
            accepted_range:
              price: {min_value: 0}
              size: {min_value: 0, max_value: 100, inclusive: false}
            accepted_values:
              code: {values: [a, b, "c-d"]}
              size: {values: [0, 5, 10, 100, 101], quote: false}
            expression_is_true:
              - "flag or size >= 100"
            unique: [id, price]
            unique_combination_of_columns: [[code, size], [id, code]]
      - expression_is_true:
          arguments:
            expression: "flag or size >= 100"
      - unique_combination_of_columns:
          arguments:
            combination_of_columns: [code, size]
    columns:
      - name: id
        data_tests: [not_null, unique]
      - name: code
        data_tests:
          - not_null
          - not_null:
              name: not_null_checked_code_where_flag
              config:
                where: flag
          - accepted_values:
              arguments:
                values: [a, b, "c-d"]
      - name: price
        data_tests:
          - not_null
          - accepted_range:
              arguments:
                min_value: 0
      - name: size
        data_tests:
          - not_null:
              name: not_null_checked_size_where_flag
              config:
                where: flag
          - not_null:
              name: not_null_checked_size_where_price_positive
              config:
                where: price > 0
          - accepted_range:
              arguments:
                min_value: 0
                max_value: 100
                inclusive: false
          - accepted_values:
              arguments:
                values: [0, 5, 10, 100, 101]
                quote: false
  - name: clean
    data_tests:
      - column_checks:
          arguments:
            not_null: [id, code]
            not_null_where:
              "id > 0": [code, size]
            accepted_range:
              price: {min_value: 0}
            accepted_values:
              code: {values: [a, "it's"]}
            expression_is_true:
              - "id > 0"
            unique: [id]
            unique_combination_of_columns: [[code, size]]
"""


def _literal(value: object, sql_type: str) -> str:
    if value is None:
        return f"cast(null as {sql_type})"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("'", "\\'") + "'"
    return f"cast({value} as {sql_type})"


def _model_sql(rows: list[tuple]) -> str:
    selects = [
        "select " + ", ".join(f"{_literal(v, t)} as {c}" for v, t, c in zip(row, TYPES, COLUMNS, strict=True))
        for row in rows
    ]
    return "{{ config(materialized='table') }}\n" + "\nunion all\n".join(selects)


def _expected(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Rows breaking each check of `checked`, from the checks' definitions."""
    price, size, code = frame["price"], frame["size"], frame["code"]
    counts = {
        ("id", "not_null"): frame["id"].isna().sum(),
        ("code", "not_null"): code.isna().sum(),
        ("price", "not_null"): price.isna().sum(),
        # A row whose condition is null (flag null) is left out, as a test's config where leaves it.
        ("code", "not_null where flag"): (frame["flag"].eq(True) & code.isna()).sum(),
        ("size", "not_null where flag"): (frame["flag"].eq(True) & size.isna()).sum(),
        ("size", "not_null where price > 0"): ((price > 0) & size.isna()).sum(),
        ("price", "accepted_range"): (price.notna() & ~(price >= 0)).sum(),
        ("size", "accepted_range"): (size.notna() & ~((size > 0) & (size < 100))).sum(),
        ("code", "accepted_values"): (code.notna() & ~code.isin(["a", "b", "c-d"])).sum(),
        ("size", "accepted_values"): (size.notna() & ~size.isin([0, 5, 10, 100, 101])).sum(),
    }
    # SQL's three-valued logic: `flag or size >= 100` passes only when it is true, not when null.
    holds = [
        flag is True or (pd.notna(size) and size >= 100)
        for flag, size in zip(frame["flag"], size, strict=True)
    ]
    counts[("", "expression_is_true: flag or size >= 100")] = len(holds) - sum(holds)
    # A grain check counts the rows beyond the first of each value (a null id is never a duplicate;
    # a null in a combination groups with other nulls).
    for column in ["id", "price"]:
        counts[(column, "unique")] = frame[column].notna().sum() - frame[column].nunique()
    for columns in [["code", "size"], ["id", "code"]]:
        groups = frame.groupby(columns, dropna=False).ngroups
        counts[(", ".join(columns), "unique_combination_of_columns")] = len(frame) - groups
    return {key: int(n) for key, n in counts.items() if n}


class TestColumnChecks:
    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return {**DELTA_PROJECT, "data_tests": {"+store_failures": True}}

    @pytest.fixture(scope="class")
    def macros(self) -> dict[str, str]:
        return _generic_tests(
            "column_checks", "accepted_range", "expression_is_true", "unique_combination_of_columns"
        )

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {
            "checked.sql": _model_sql(ROWS),
            "clean.sql": _model_sql(
                [row for row in ROWS if None not in row and row[2] >= 0 and row[1] != "c-d"]
            ),
            "schema.yml": CHECKS_YML,
        }

    def test_reports_each_broken_check_with_its_row_count(self, project) -> None:
        run_dbt(["run"])
        results = run_dbt(["test"], expect_pass=False)
        by_name = {result.node.name: result for result in results}
        merged = next(r for name, r in by_name.items() if name.startswith("column_checks_checked"))
        expected = _expected(pd.DataFrame(ROWS, columns=COLUMNS).astype({"size": "Int64", "id": "Int64"}))
        assert merged.status == "fail" and merged.failures == len(expected), merged.message

        stored = project.run_sql(
            f"select column_name, check_name, failing_rows from {merged.node.relation_name}", fetch="all"
        )
        assert {(row[0], row[1]): row[2] for row in stored} == expected

        clean = next(r for name, r in by_name.items() if name.startswith("column_checks_clean"))
        assert clean.status == "pass", clean.message

        # Each one-column test fails exactly where column_checks reports its check broken, and the
        # row-counting ones (all but dbt's accepted_values, which counts distinct values) by as many rows.
        # The grain tests count duplicated values, not repeating rows: only their verdicts compare.
        single = {
            (_checked_columns(result.node), _check_name(result.node)): result
            for result in results
            if result.node.test_metadata.name != "column_checks"
            and result.node.attached_node.endswith(".checked")
        }
        assert len(single) == 13, sorted(single)
        reported = {
            (column, check.split(":")[0]): rows
            for (column, check), rows in expected.items()
            if (column, check) not in {("price", "unique"), ("id, code", "unique_combination_of_columns")}
        }
        assert {key for key, result in single.items() if result.status == "fail"} == set(reported)
        for key, rows in reported.items():
            if key[1] not in {"accepted_values", "unique", "unique_combination_of_columns"}:
                assert single[key].failures == rows, (key, single[key].failures, rows)


def _check_name(test_node) -> str:
    """A one-column test's check as column_checks names it (a where of the test's config included)."""
    where = test_node.config.where
    return test_node.test_metadata.name + (f" where {where}" if where else "")


def _checked_columns(test_node) -> str:
    """The column(s) a one-column or grain test checks, as column_checks names them."""
    combination = test_node.test_metadata.kwargs.get("combination_of_columns")
    return ", ".join(combination) if combination else test_node.column_name or ""


def _mistyped_yml(arguments: str) -> str:
    """The schema of model `mistyped` with one column_checks test of these arguments (YAML lines)."""
    lines = "".join(f"            {line}\n" for line in arguments.strip().splitlines())
    return f"""
models:
  - name: mistyped
    data_tests:
      - column_checks:
          arguments:
{lines}"""


class RefusedAtParse:
    """A mistyped check stops dbt when it parses the project (so every command stops there) with a
    message naming it, instead of checking nothing or failing later with Spark's error."""

    arguments = ""
    message = ""

    @pytest.fixture(scope="class")
    def project_config_update(self) -> dict:
        return DELTA_PROJECT

    @pytest.fixture(scope="class")
    def macros(self) -> dict[str, str]:
        return _generic_tests("column_checks")

    @pytest.fixture(scope="class")
    def models(self) -> dict[str, str]:
        return {"mistyped.sql": _model_sql(ROWS[:1]), "schema.yml": _mistyped_yml(self.arguments)}

    def test_names_the_check_and_what_it_takes(self, project) -> None:
        with pytest.raises(CompilationError, match=self.message):
            run_dbt(["parse"])


class TestColumnChecksRefusesAMistypedRange(RefusedAtParse):
    arguments = """
not_null: [id]
accepted_range:
  price: {min: 0}
"""
    message = "accepted_range of price takes min_value and/or max_value"


class TestColumnChecksRefusesAConditionWithoutAList(RefusedAtParse):
    """A not_null_where condition must name a list of columns."""

    arguments = """
not_null_where:
  "id > 0": code
"""
    message = "not_null_where takes {condition: \\[columns\\]}, got id > 0: code"


class TestColumnChecksRefusesConditionsGivenAsAList(RefusedAtParse):
    """not_null_where maps conditions to columns; a list of columns says no condition."""

    arguments = "not_null_where: [code]"
    message = "not_null_where takes {condition: \\[columns\\]}, got \\['code'\\]"


class TestColumnChecksRefusesAFlatGrain(RefusedAtParse):
    """A grain written as one flat list, not a list of column lists."""

    arguments = "unique_combination_of_columns: [id, code]"
    message = "takes a list of column lists, got id"
