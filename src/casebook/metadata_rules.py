"""Casebook's metadata rules for dbt-score (`make lint`), beside dbt-score's generic ones.

A domain's owner is its dbt group's owner (models/_groups.yml); marts are what BI tools read, so each
is public, has an enforced contract and declares its grain as a primary key.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from dbt_score import Model, RuleViolation, Seed, rule


def _is_mart(model: Model) -> bool:
    return model.original_file_path.startswith("models/marts/")


@rule
def has_group(model: Model) -> RuleViolation | None:
    """A model belongs to its domain's group (dbt_project.yml), which names its owner."""
    if not model.group:
        return RuleViolation(message="Model is in no group: set +group for its folder in dbt_project.yml.")
    return None


@rule
def has_data_tests(model: Model) -> RuleViolation | None:
    """A model has at least one data test, on the model or on a column."""
    if model.tests or any(column.tests for column in model.columns):
        return None
    return RuleViolation(message="Model has no data tests.")


@rule
def mart_is_public_with_enforced_contract(model: Model) -> RuleViolation | None:
    """A mart is public and enforces its contract (column names and types), unless its meta says
    `contract_exempt_because` (a mart whose columns are generated, say)."""
    if not _is_mart(model):
        return None
    if model.access != "public":
        return RuleViolation(message=f"Mart access is {model.access}, not public.")
    exempt = (model.config.get("meta") or {}).get("contract_exempt_because") or model.meta.get(
        "contract_exempt_because"
    )
    if not (model.config.get("contract") or {}).get("enforced") and not exempt:
        return RuleViolation(message="Mart does not enforce its contract.")
    return None


@rule
def mart_declares_primary_key(model: Model) -> RuleViolation | None:
    """A mart declares its grain as a primary_key constraint (model or column level)."""
    if not _is_mart(model):
        return None
    declared = [c for c in model.constraints if c.type == "primary_key"] + [
        c for column in model.columns for c in column.constraints if c.type == "primary_key"
    ]
    if declared:
        return None
    return RuleViolation(message="Mart declares no primary_key constraint for its grain.")


def unique_grains(tests: Iterable[tuple[str | None, str | None, Mapping[str, Any]]]) -> list[set[str]]:
    """Column sets that data tests prove unique, from each test's (name, column, arguments): `unique`
    on a column, a `unique_combination_of_columns`, and the same checks listed in a `column_checks`.
    The lint rule below and the built warehouse's test (pytests/integration) both read grains here."""
    grains: list[set[str]] = []
    for test_name, column, arguments in tests:
        if test_name == "unique" and column:
            grains.append({column})
        elif test_name == "unique_combination_of_columns":
            grains.append(set(arguments.get("combination_of_columns") or []))
        elif test_name == "column_checks":
            grains += [{name} for name in arguments.get("unique") or []]
            grains += [set(names) for names in arguments.get("unique_combination_of_columns") or []]
    return grains


def _tested_grains(model: Model) -> list[set[str]]:
    column_tests = [(test.type, column.name, {}) for column in model.columns for test in column.tests]
    return unique_grains(column_tests + [(test.type, None, test.kwargs) for test in model.tests])


@rule
def primary_key_has_uniqueness_test(model: Model) -> RuleViolation | None:
    """A table's primary key is one of the grains its data tests check (dbt-score's own rule of this
    kind does not know `column_checks`, so it is turned off in pyproject.toml)."""
    if model.config.get("materialized") not in {"table", "incremental"}:
        return None
    keys = [c.columns or [] for c in model.constraints if c.type == "primary_key"] + [
        [column.name] for column in model.columns for c in column.constraints if c.type == "primary_key"
    ]
    if not keys or set(keys[0]) in _tested_grains(model):
        return None
    return RuleViolation(
        message=f"No data test checks that the primary key ({', '.join(keys[0])}) is unique: list it in "
        "the model's column_checks (unique or unique_combination_of_columns)."
    )


@rule
def seed_has_group(seed: Seed) -> RuleViolation | None:
    """A seed belongs to its domain's group (dbt_project.yml), which names its owner."""
    if not seed._raw_values.get("group"):
        return RuleViolation(message="Seed is in no group: set +group for its folder in dbt_project.yml.")
    return None
