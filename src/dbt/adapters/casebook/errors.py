"""Spark errors a dbt user can act on, in one sentence.

A relation of the project (a seed, model or snapshot) that is not in the warehouse is nearly always
an upstream node the run did not select: Spark says TABLE_OR_VIEW_NOT_FOUND with the whole query
plan. The sentence names the node, its file, and the selection that builds it too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

NOT_FOUND = re.compile(r"\[TABLE_OR_VIEW_NOT_FOUND\][^`]*((?:`[^`]+`\.)*`[^`]+`)")
NODE_TYPES = ("seed", "model", "snapshot")


def missing_relation(message: str) -> str | None:
    """`schema.name` of the relation Spark could not find, or None if the error is another one."""
    match = NOT_FOUND.search(message)
    if not match:
        return None
    parts = [part.lower() for part in re.findall(r"`([^`]+)`", match.group(1))]
    return ".".join(parts[-2:])


def _flags() -> Any:
    try:
        from dbt.flags import get_flags

        return get_flags()
    except Exception:
        return None


def _manifest_nodes(target_path: Path) -> dict[str, dict[str, Any]]:
    """The project's nodes from the manifest dbt wrote for this run (empty if there is none)."""
    try:
        manifest = json.loads((target_path / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}
    return manifest.get("nodes", {})


def project_node(relation: str, target_path: Path) -> dict[str, Any] | None:
    """The seed, model or snapshot of the project whose relation is `schema.name`."""
    for node in _manifest_nodes(target_path).values():
        if node.get("resource_type") not in NODE_TYPES:
            continue
        name = node.get("alias") or node.get("name")
        if f"{node.get('schema')}.{name}".lower() == relation:
            return node
    return None


def with_upstream(selection: tuple[str, ...] | list[str]) -> str:
    """The selection with its upstream nodes: `+` before every selector (and each part of an intersection)."""
    selectors = []
    for selector in selection:
        parts = [part if part.startswith("+") or "@" in part else f"+{part}" for part in selector.split(",")]
        selectors.append(",".join(parts))
    return " ".join(selectors)


def unselected_upstream_message(message: str, project_dir: Path) -> str | None:
    """One sentence for a project relation missing from the warehouse, or None for any other error."""
    relation = missing_relation(message)
    if relation is None:
        return None
    flags = _flags()
    target = Path(getattr(flags, "TARGET_PATH", None) or project_dir / "target")
    if not target.is_absolute():
        target = project_dir / target
    node = project_node(relation, target)
    if node is None:
        return None
    selection = tuple(getattr(flags, "SELECT", None) or ())
    remedy = (
        f"add + to the selection to build its upstream nodes too: --select {with_upstream(selection)}"
        if selection
        else f"build it first: dbt build --select {node['name']}"
    )
    return (
        f"{relation} is not in the warehouse: it is the {node['resource_type']} {node['name']}"
        f" ({node.get('original_file_path')}), upstream of this model but not built; {remedy}"
    )


# Delta's merge on a key column that is not there: open-source Delta 4 lacks the error class's text,
# so Spark answers `[INTERNAL_ERROR] Cannot find main error class 'DELTA_MERGE_UNRESOLVED_EXPRESSION'`.
MERGE_UNRESOLVED = "DELTA_MERGE_UNRESOLVED_EXPRESSION"
MERGE_TARGET = re.compile(r"merge\s+into\s+(\S+)\s+as\s+DBT_INTERNAL_DEST", re.IGNORECASE)
MERGE_KEY = re.compile(r"DBT_INTERNAL_SOURCE\.(\S+?)\s*=\s*DBT_INTERNAL_DEST\.", re.IGNORECASE)


def merge_key_message(message: str, sql: str) -> str | None:
    """One sentence for a dbt merge whose unique_key does not resolve, or None for any other error."""
    if MERGE_UNRESOLVED not in message:
        return None
    target = MERGE_TARGET.search(sql)
    if target is None:
        return None
    relation = target.group(1).replace("`", "")
    model = relation.rsplit(".", 1)[-1]
    keys = list(dict.fromkeys(key.strip("`") for key in MERGE_KEY.findall(sql)))
    if not keys:
        return None
    named = ", ".join(keys)
    return (
        f"Incremental model {model} cannot merge into {relation} on its unique_key {named}: "
        f"{'that column is' if len(keys) == 1 else 'those columns are'} not in the model's query or "
        "not in the existing table; set unique_key in the model's config to columns the model selects "
        "(and run it with --full-refresh if the existing table lacks them)."
    )


# Delta refuses a write whose rows break a NOT NULL column or a CHECK constraint, and writes nothing.
CONSTRAINT_VIOLATED = re.compile(
    r"\[(DELTA_NOT_NULL_CONSTRAINT_VIOLATED|DELTA_VIOLATE_CONSTRAINT_WITH_VALUES)\]\s*([^\n]*)"
    # Delta lists the offending row's values on the lines below, one " - column : value" each.
    r"((?:\n\s*- [^\n]*)*)"
)
SQLSTATE = re.compile(r"\s*SQLSTATE: \S+")
WRITE_TARGET = re.compile(r"insert\s+(?:overwrite|into)\s+(?:table\s+)?(\S+)", re.IGNORECASE)


def contract_violation_message(message: str, sql: str) -> str | None:
    """One sentence for a write Delta refused because its rows break the table's constraints."""
    violated = CONSTRAINT_VIOLATED.search(message)
    target = WRITE_TARGET.search(sql)
    if violated is None or target is None:
        return None
    relation = target.group(1).replace("`", "")
    values = ", ".join(
        SQLSTATE.sub("", line.strip()[2:]) for line in violated.group(3).splitlines() if line.strip()
    )
    detail = violated.group(2).strip().rstrip(".:")
    if values:
        detail = f"{detail}: {values}"
    return (
        f"Model {relation.rsplit('.', 1)[-1]} breaks its contract ({detail}); {relation} was left as it "
        "was: fix the model's query or the constraint in its YAML."
    )
