"""Keys and docs in the tables: persisted comments (SQL and Python models) and each mart's declared grain."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from casebook.metadata_rules import unique_grains
from pytests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration

MARTS = "models/marts/"


@cache
def _manifest(target_path: Path) -> dict[str, Any]:
    return json.loads((target_path / "manifest.json").read_text())


def _models(warehouse: Warehouse) -> dict[str, dict[str, Any]]:
    nodes = _manifest(warehouse.target_path)["nodes"].values()
    return {node["name"]: node for node in nodes if node["resource_type"] == "model"}


def _described(spark, relation: str) -> tuple[dict[str, str], str]:
    """Column comments and the table comment that `describe table extended` shows."""
    rows = spark.sql(f"describe table extended {relation}").collect()
    columns: dict[str, str] = {}
    for row in rows:
        if not row.col_name or row.col_name.startswith("#"):
            break
        columns[row.col_name] = row.comment or ""
    table_comment = next((row.data_type for row in rows if row.col_name == "Comment"), "")
    return columns, table_comment


@pytest.mark.parametrize(
    "relation",
    [
        "marts.fct_trades",  # SQL, incremental
        "marts.fct_spread_stats",  # SQL table
        "intermediate.int_ticks__spread_stats",  # Python table
        "intermediate.int_ticks__daily_spread",  # Python, incremental
        "staging.stg_ticks__trades",  # view
    ],
)
def test_tables_carry_their_model_and_column_docs(warehouse: Warehouse, first_build, spark, relation) -> None:
    model = _models(warehouse)[relation.split(".")[1]]
    columns, table_comment = _described(spark, relation)
    assert table_comment.strip() == model["description"].strip()
    documented = {name: spec["description"] for name, spec in model["columns"].items() if spec["description"]}
    assert documented, f"{relation} has no documented columns to check"
    assert {name: columns.get(name) for name in documented} == documented


def _tested_grains(warehouse: Warehouse, model_id: str) -> list[set[str]]:
    """Column sets the model's data tests prove unique, as the metadata lint reads them."""
    tests = []
    for node in _manifest(warehouse.target_path)["nodes"].values():
        if node["resource_type"] == "test" and node.get("attached_node") == model_id:
            meta = node.get("test_metadata") or {}
            tests.append((meta.get("name"), node.get("column_name"), meta.get("kwargs") or {}))
    return unique_grains(tests)


def _primary_key(model: dict[str, Any]) -> list[str]:
    keys = [c["columns"] for c in model["constraints"] if c["type"] == "primary_key"]
    keys += [[name] for name, col in model["columns"].items() if any(
        c["type"] == "primary_key" for c in col["constraints"])]  # fmt: skip
    assert len(keys) == 1, f"{model['name']}: one primary_key constraint expected, found {keys}"
    return keys[0]


def test_every_mart_declares_its_tested_grain_as_primary_key(warehouse: Warehouse) -> None:
    marts = [m for m in _models(warehouse).values() if m["original_file_path"].startswith(MARTS)]
    assert len(marts) > 30
    for mart in marts:
        key = _primary_key(mart)
        assert set(key) in _tested_grains(warehouse, mart["unique_id"]), f"{mart['name']}: {key} untested"
    assert _primary_key(_models(warehouse)["fct_trades"]) == ["symbol", "event_ts", "seq"]


def test_every_contracted_marts_grain_columns_are_not_null_constraints(warehouse: Warehouse) -> None:
    for mart in _models(warehouse).values():
        if not mart["original_file_path"].startswith(MARTS) or not mart["contract"]["enforced"]:
            continue
        for column in _primary_key(mart):
            types = {c["type"] for c in mart["columns"][column]["constraints"]}
            assert "not_null" in types, f"{mart['name']}.{column} has no not_null constraint"
