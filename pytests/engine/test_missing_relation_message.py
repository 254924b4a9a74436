"""The adapter's sentence for a project relation missing from the warehouse (an unselected upstream node)."""

from __future__ import annotations

import json
from pathlib import Path

from dbt.adapters.casebook.errors import missing_relation, project_node, with_upstream

SPARK_MESSAGE = (
    "[TABLE_OR_VIEW_NOT_FOUND] The table or view `spark_catalog`.`seeds`.`fraud_transaction_types` cannot"
    " be found. Verify the spelling and correctness of the schema and catalog.; line 12 pos 9;\n'Project [*]"
)


def test_the_relation_is_read_from_sparks_message() -> None:
    assert missing_relation(SPARK_MESSAGE) == "seeds.fraud_transaction_types"
    assert missing_relation("[TABLE_OR_VIEW_NOT_FOUND] The table or view `raw_x` cannot be found.") == "raw_x"
    assert missing_relation("[DIVIDE_BY_ZERO] Division by zero.") is None


def test_the_relation_is_matched_to_the_projects_node(tmp_path: Path) -> None:
    nodes = {
        "seed.casebook.fraud_transaction_types": {
            "resource_type": "seed",
            "name": "fraud_transaction_types",
            "alias": "fraud_transaction_types",
            "schema": "seeds",
            "original_file_path": "seeds/fraud/fraud_transaction_types.csv",
        },
        "test.casebook.x": {"resource_type": "test", "name": "x", "schema": "seeds", "alias": "x"},
    }
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    node = project_node("seeds.fraud_transaction_types", tmp_path)
    assert node is not None and node["resource_type"] == "seed"
    assert project_node("seeds.x", tmp_path) is None  # tests are not relations
    assert project_node("raw.trips", tmp_path / "absent") is None


def test_the_selection_gets_its_upstream_nodes() -> None:
    assert with_upstream(("path:models/staging/fraud+",)) == "+path:models/staging/fraud+"
    assert with_upstream(("+a", "b", "tag:x,c")) == "+a +b +tag:x,+c"
    assert with_upstream(("@d",)) == "@d"
