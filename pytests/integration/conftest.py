"""One tiny-scale warehouse, built in this process by `dbt build`, shared by the integration tests."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner, dbtRunnerResult

from casebook.data.registry import GENERATORS, generator
from pytests.conftest import REPO_ROOT, dbt_command

SEED = 42


def domains_under_test() -> list[str]:
    """Every domain with a generator; $CASEBOOK_TEST_DOMAINS (comma-separated) narrows it while developing."""
    configured = os.environ.get("CASEBOOK_TEST_DOMAINS")
    return [d.strip() for d in configured.split(",") if d.strip()] if configured else list(GENERATORS)


def build_selection() -> list[str]:
    """`dbt build` of everything; $CASEBOOK_TEST_SELECT (a dbt selection) narrows it while developing."""
    configured = os.environ.get("CASEBOOK_TEST_SELECT")
    return ["--select", *configured.split()] if configured else []


@dataclass
class Warehouse:
    data_dir: Path
    target_path: Path
    # The manifest of the first build (later dbt runs in the same target folder may write others).
    built_manifest: dict | None = None

    def dbt(
        self, *args: str, project_dir: Path = REPO_ROOT, target_path: Path | None = None
    ) -> dbtRunnerResult:
        """Run dbt in this process: it shares the tests' SparkSession, metastore and warehouse.
        Another project's runs take their own target_path (the shared one holds the first build's)."""
        command = dbt_command(*args, target_path=target_path or self.target_path, project_dir=project_dir)
        return dbtRunner().invoke(command[1:])

    def dbt_succeeds(self, *args: str, **where: Path) -> dbtRunnerResult:
        """`dbt(*args, **where)`, asserting that every node succeeded (else naming the failed ones)."""
        result = self.dbt(*args, **where)
        failures = [
            f"{r.node.name}: {r.status} {r.message}"
            for r in result.result or []
            if r.status not in {"success", "pass"}
        ]
        assert result.success, f"dbt {' '.join(args)} failed: {result.exception or failures}"
        return result

    def statuses_of_tests_on_models_named(
        self, build: dbtRunnerResult, name_part: str
    ) -> dict[str, str | None]:
        """Status in `build` (None: it did not run) of every data test and unit test the first build's
        manifest declares on models whose name has name_part; each such model must have one."""
        manifest = self.built_manifest
        assert manifest is not None, "the first build has not run"
        models = {
            uid
            for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and name_part in node["name"]
        }
        tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
        tests += manifest["unit_tests"].values()
        untested = {uid for uid in models if not any(uid in test["depends_on"]["nodes"] for test in tests)}
        assert models and not untested, f"no tests declared on {sorted(untested) or name_part}"
        ran = {r.node.name: str(r.status) for r in build.result}
        return {
            test["name"]: ran.get(test["name"]) for test in tests if models & set(test["depends_on"]["nodes"])
        }


@pytest.fixture(scope="session")
def tiny_raw(engine_data_dir: Path) -> Warehouse:
    """Every domain's tiny raw files in the session's data folder (the one the in-process SparkSession
    uses), nothing built yet."""
    for domain in domains_under_test():
        generator(domain)(engine_data_dir / "raw", "tiny", SEED)
    return Warehouse(data_dir=engine_data_dir, target_path=engine_data_dir / "target")


@pytest.fixture(scope="session")
def warehouse(tiny_raw: Warehouse) -> Warehouse:
    """The tiny warehouse: the raw files, built by `first_build` for the tests that ask for it."""
    return tiny_raw


@pytest.fixture(scope="session")
def first_build(warehouse: Warehouse) -> dbtRunnerResult:
    result = warehouse.dbt_succeeds("build", *build_selection())
    warehouse.built_manifest = json.loads((warehouse.target_path / "manifest.json").read_text())
    return result


@pytest.fixture(scope="session")
def spark(first_build: dbtRunnerResult, engine_spark):
    """The SparkSession, once the tiny warehouse is built."""
    return engine_spark
