"""Contracted Delta tables: column constraints in the CREATE, checked before any row is written.

Delta 4 on Spark 4 refuses `ALTER TABLE ... CHANGE COLUMN ... SET NOT NULL` on a table that exists
("Cannot change nullable column to non-nullable"), which is how dbt-spark applies `not_null`. Casebook
creates a contracted table with its NOT NULL columns in the CREATE and its CHECK constraints added
before the insert, so Delta enforces both on every later write (incremental merges included). Before
the table is replaced, one query counts the rows of the model that would break a constraint: a model
that breaks its contract fails in one sentence and leaves the table as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dbt_common.contracts.constraints import ColumnLevelConstraint, ConstraintType, ModelLevelConstraint

ENFORCED = (ConstraintType.not_null, ConstraintType.check)


@dataclass(frozen=True)
class Check:
    """A CHECK constraint: its name in the Delta table, its expression, and what the user wrote."""

    name: str
    expression: str
    described: str


def quoted(name: str) -> str:
    return "`" + name.strip("`").replace("`", "``") + "`"


def column_ddl(columns: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """`name type [not null]` per contracted column, in the contract's order."""
    lines = []
    for column in columns.values():
        not_null = any(c.get("type") == ConstraintType.not_null for c in column.get("constraints") or [])
        lines.append(f"{quoted(column['name'])} {column['data_type']}" + (" not null" if not_null else ""))
    return lines


def not_null_columns(columns: Mapping[str, Mapping[str, Any]]) -> list[str]:
    return [
        column["name"]
        for column in columns.values()
        if any(c.get("type") == ConstraintType.not_null for c in column.get("constraints") or [])
    ]


def _check_name(given: str | None, expression: str, index: int) -> str:
    if given:
        return given
    return "check_" + hashlib.md5(f"{expression};{index}".encode()).hexdigest()[:12]


def checks(
    columns: Mapping[str, Mapping[str, Any]], model_constraints: Sequence[Mapping[str, Any]]
) -> list[Check]:
    """Every CHECK constraint of the contract: column-level ones, then model-level ones."""
    found: list[Check] = []
    for column in columns.values():
        for raw in column.get("constraints") or []:
            constraint = ColumnLevelConstraint.from_dict(raw)
            if constraint.type == ConstraintType.check and constraint.expression:
                name = _check_name(constraint.name, constraint.expression, len(found))
                found.append(Check(name, constraint.expression, f"check ({constraint.expression})"))
    for raw in model_constraints:
        constraint = ModelLevelConstraint.from_dict(raw)
        if constraint.type == ConstraintType.check and constraint.expression:
            name = _check_name(constraint.name, constraint.expression, len(found))
            found.append(Check(name, constraint.expression, f"check ({constraint.expression})"))
    return found


def violations_sql(
    columns: Mapping[str, Mapping[str, Any]], model_constraints: Sequence[Mapping[str, Any]], select_sql: str
) -> str | None:
    """One row counting, per constraint, the model's rows that break it; None if nothing is enforced.

    A CHECK whose expression is null for a row counts as broken, as Delta counts it.
    """
    counts = [f"count_if({quoted(name)} is null)" for name in not_null_columns(columns)]
    counts += [
        f"count_if(not coalesce({check.expression}, false))" for check in checks(columns, model_constraints)
    ]
    if not counts:
        return None
    return "select\n  " + ",\n  ".join(counts) + f"\nfrom (\n{select_sql}\n) as contract_rows"


def violation_message(
    model: Mapping[str, Any],
    columns: Mapping[str, Mapping[str, Any]],
    model_constraints: Sequence[Mapping[str, Any]],
    counts: Sequence[int],
) -> str | None:
    """One sentence naming the model and each broken constraint with its row count, or None."""
    described = [f"column {name} is not null" for name in not_null_columns(columns)]
    described += [check.described for check in checks(columns, model_constraints)]
    broken = [
        f"{text} ({count} row{'s' if count != 1 else ''})"
        for text, count in zip(described, counts, strict=True)
        if count
    ]
    if not broken:
        return None
    where = model.get("original_file_path") or model.get("name")
    return (
        f"Model {model.get('name')} ({where}) breaks its contract: {'; '.join(broken)} violated; "
        "the table was left as it was: fix the model's query or the constraint in its YAML."
    )


# The table property holding the contract a table was created with: a rebuild under the same contract
# overwrites the rows in one Delta commit instead of re-creating the table.
FINGERPRINT_PROPERTY = "casebook.contract"


def fingerprint(
    columns: Mapping[str, Mapping[str, Any]],
    model_constraints: Sequence[Mapping[str, Any]],
    table_config: Mapping[str, Any],
) -> str:
    """A digest of everything the CREATE of a contracted table depends on: column DDL, CHECK
    constraints and the table's layout settings (partitions, clustering, location, options)."""
    described = {
        "columns": column_ddl(columns),
        "checks": [(check.name, check.expression) for check in checks(columns, model_constraints)],
        "table": {key: table_config.get(key) for key in sorted(table_config)},
    }
    return hashlib.sha256(repr(described).encode()).hexdigest()[:16]
