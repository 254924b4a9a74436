"""The metadata lint of `make lint`: dbt-score with casebook.metadata_rules and the bar in pyproject.toml."""

from __future__ import annotations

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
    mart = manifest["nodes"]["model.casebook.fct_trades"]
    mart.update(group=None, access="protected", constraints=[], description="")
    mart["config"]["contract"]["enforced"] = False
    for column in mart["columns"].values():
        column.update(constraints=[], description="")
    result = _score(manifest, tmp_path)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    for complaint in ("Model is in no group", "Mart access is protected", "no primary_key constraint"):
        assert complaint in result.stdout
