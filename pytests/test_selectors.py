"""selectors.yml: one selector per domain that needs nothing built before it."""

from __future__ import annotations

import json
import os

import pytest
import yaml
from dbt.cli.main import dbtRunner

from casebook.data.registry import GENERATORS
from pytests.conftest import REPO_ROOT, dbt_command

SELECTORS = {s["name"] for s in yaml.safe_load((REPO_ROOT / "selectors.yml").read_text())["selectors"]}


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Each selector's models and seeds, and the manifest's parents of every node (dbt ls, no Spark)."""
    target = tmp_path_factory.mktemp("selectors")
    runner = dbtRunner()
    os.environ.setdefault("CASEBOOK_DATA_DIR", str(target / "data"))
    parsed = runner.invoke(dbt_command("parse", target_path=target)[1:])
    assert parsed.success, parsed.exception
    manifest = parsed.result
    runner = dbtRunner(manifest=manifest)
    selected = {}
    for name in sorted(SELECTORS):
        command = dbt_command("ls", "--selector", name, "--output", "json", target_path=target)[1:]
        result = runner.invoke([*command, "--resource-type", "model", "--resource-type", "seed", "--quiet"])
        assert result.success, result.exception
        selected[name] = {json.loads(line)["unique_id"] for line in result.result}
    selected["__parents__"] = manifest.parent_map  # type: ignore[assignment]
    return selected


def test_every_domain_has_a_selector() -> None:
    assert set(GENERATORS) <= SELECTORS


@pytest.mark.parametrize("domain", sorted(SELECTORS))
def test_a_domain_selector_holds_every_model_and_seed_its_models_read(listing, domain: str) -> None:
    chosen = listing[domain]
    parents: dict[str, list[str]] = listing["__parents__"]  # type: ignore[assignment]
    missing = {
        parent
        for node in chosen
        for parent in parents.get(node, [])
        if parent.startswith(("model.", "seed.")) and parent not in chosen
    }
    assert missing == set(), f"{domain}: building the selector on a fresh warehouse would lack {missing}"
    own_models = {
        path.stem
        for layer in ("staging", "intermediate", "marts")
        for path in (REPO_ROOT / "models" / layer / domain).rglob("*")
        if path.suffix in {".sql", ".py"}
    }
    assert own_models <= {uid.split(".")[-1] for uid in chosen}
