"""The metadata lint of `make lint`: dbt-score with casebook.metadata_rules and the bar in pyproject.toml."""

from __future__ import annotations

import copy
import json
import re
import subprocess
from pathlib import Path

import pytest

from pytests.conftest import REPO_ROOT, VENV_BIN, dbt_command

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    target = tmp_path_factory.mktemp("lint-target")
    parsed = subprocess.run(
        [*dbt_command("parse", "--warn-error", target_path=target)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert parsed.returncode == 0, parsed.stdout[-3000:] + parsed.stderr[-3000:]
    return json.loads((target / "manifest.json").read_text())


def _score(manifest: dict, folder: Path) -> subprocess.CompletedProcess[str]:
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest))
    return subprocess.run(
        [str(VENV_BIN / "dbt-score"), "lint", "--manifest", str(path), "--format", "plain"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_project_passes_its_metadata_lint(manifest: dict, tmp_path: Path) -> None:
    result = _score(manifest, tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"Project score: \S*10\.0", result.stdout), result.stdout


def test_a_mart_without_key_group_contract_or_docs_fails_the_lint(manifest: dict, tmp_path: Path) -> None:
    manifest = copy.deepcopy(manifest)  # the module's manifest stays as parsed for the other tests
    mart = manifest["nodes"]["model.casebook.fct_trades"]
    mart.update(group=None, access="protected", constraints=[], description="")
    mart["config"]["contract"]["enforced"] = False
    for column in mart["columns"].values():
        column.update(constraints=[], description="")
    result = _score(manifest, tmp_path)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    for complaint in ("Model is in no group", "Mart access is protected", "no primary_key constraint"):
        assert complaint in result.stdout


def test_a_table_whose_primary_key_no_test_checks_fails_the_lint(manifest: dict, tmp_path: Path) -> None:
    # fct_trades' grain is checked inside its column_checks; take it out there.
    manifest = copy.deepcopy(manifest)
    checks = next(
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node.get("attached_node") == "model.casebook.fct_trades"
        and (node.get("test_metadata") or {}).get("name") == "column_checks"
    )
    grains = checks["test_metadata"]["kwargs"].pop("unique_combination_of_columns")
    assert grains == [["symbol", "event_ts", "seq"]]
    result = _score(manifest, tmp_path)
    assert "No data test checks that the primary key (symbol, event_ts, seq) is unique" in result.stdout, (
        result.stdout[-3000:]
    )
