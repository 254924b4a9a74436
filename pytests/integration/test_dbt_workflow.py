"""dbt workflows on the tiny warehouse: source freshness, dev/CI schemas beside production, `dbt clone`,
slim CI (`state:modified+ --defer --state`), `dbt retry` and `dbt build --empty`."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner, dbtRunnerResult

from pytests.conftest import REPO_ROOT, dbt_command
from pytests.integration.conftest import Warehouse, domains_under_test

pytestmark = pytest.mark.integration

PRODUCTION_SCHEMAS = ("staging", "intermediate", "marts", "seeds", "snapshots")
PROJECT_PARTS = (
    "dbt_project.yml",
    "selectors.yml",
    "models",
    "macros",
    "seeds",
    "snapshots",
    "tests",
    "analyses",
)
# The smallest domain with a SQL and a Python (pandas on Spark) model: what the dev/CI builds run.
SMALL_DOMAIN = "pods"


@pytest.fixture(scope="module")
def production(tiny_raw: Warehouse) -> Warehouse:
    """Production tables of the smallest domain, built in this process: what the dev, clone and slim CI
    builds stand beside. Only that domain, so these tests need not wait for the whole tiny warehouse
    and run on whichever pytest worker is free."""
    if SMALL_DOMAIN in domains_under_test():
        tests = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
        built = tiny_raw.dbt("build", "--selector", SMALL_DOMAIN, *tests)
        assert built.success, built.exception
    return tiny_raw


def _statuses(result: dbtRunnerResult) -> dict[str, str]:
    """Each node's status; the project's on-run-start hook (an operation) left out."""
    results = result.result or []
    return {r.node.unique_id: str(r.status) for r in results if r.node.resource_type != "operation"}


def _dbt_at(*args: str, target_path: Path, project_dir: Path = REPO_ROOT) -> dbtRunnerResult:
    """dbt in this process (the tests' SparkSession and metastore) with its own target path."""
    return dbtRunner().invoke(dbt_command(*args, target_path=target_path, project_dir=project_dir)[1:])


@pytest.fixture
def target_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The dev and ci targets' schema prefixes for these tests."""
    monkeypatch.setenv("CASEBOOK_DEV_SCHEMA", "dev_pytest")
    monkeypatch.setenv("CASEBOOK_CI_SCHEMA", "ci_pytest")
    yield


def _tables(spark, schema: str) -> dict[str, str]:
    """Each table of a schema and what identifies its content now: a Delta table's latest version
    and time, a view's text."""
    if not spark.catalog.databaseExists(schema):
        return {}
    found = {}
    for table in spark.catalog.listTables(schema):
        name = f"{schema}.{table.name}"
        if table.tableType == "VIEW":
            rows = spark.sql(f"describe table extended {name}").collect()
            found[name] = next(str(r[1]) for r in rows if r[0] == "View Text")
        elif not table.isTemporary:
            latest = spark.sql(f"describe history {name} limit 1").collect()[0]
            found[name] = f"v{latest['version']} {latest['timestamp']}"
    return found


def _production(spark) -> dict[str, str]:
    return {name: state for schema in PRODUCTION_SCHEMAS for name, state in _tables(spark, schema).items()}


# --- source freshness ---------------------------------------------------------------------------


def _freshness(warehouse: Warehouse, *args: str) -> dict[str, str]:
    selection = [f"source:{domain}" for domain in domains_under_test()]
    result = warehouse.dbt("source", "freshness", "--select", *selection, *args)
    assert result.result is not None, result.exception
    results = result.result.results
    return {r.node.unique_id: str(r.status) for r in results if r.node.resource_type == "source"}


def _sources_of_domains(warehouse: Warehouse) -> set[str]:
    selection = [f"source:{domain}" for domain in domains_under_test()]
    listed = warehouse.dbt("ls", "--resource-type", "source", "--select", *selection, "--output", "name")
    assert listed.success, listed.exception
    return {f"source.casebook.{name.removeprefix('source:casebook.')}" for name in listed.result}


def test_source_freshness_reports_every_source_and_passes_on_fresh_data(tiny_raw: Warehouse) -> None:
    statuses = _freshness(tiny_raw)
    expected = _sources_of_domains(tiny_raw)
    assert len(expected) >= len(domains_under_test())
    assert set(statuses) == expected
    assert set(statuses.values()) == {"pass"}, statuses


def test_a_source_landed_long_ago_warns_then_errors(tiny_raw: Warehouse) -> None:
    domain = domains_under_test()[0]
    folder = tiny_raw.data_dir / "raw" / domain
    files = [path for path in folder.rglob("*") if path.is_file()]
    moments = {path: path.stat().st_mtime for path in files}
    two_days_ago = time.time() - 48 * 3600
    try:
        for path in files:
            os.utime(path, (two_days_ago, two_days_ago))
        warned = _freshness(tiny_raw)
        errored = _freshness(tiny_raw, "--vars", "{source_freshness_error_after_hours: 36}")
    finally:
        for path, moment in moments.items():
            os.utime(path, (moment, moment))
    stale = {uid for uid in warned if uid.startswith(f"source.casebook.{domain}.")}
    assert stale
    assert {warned[uid] for uid in stale} == {"warn"}, warned  # 24 h < 48 h < 72 h
    assert {errored[uid] for uid in stale} == {"error"}, errored  # 36 h < 48 h
    assert {status for uid, status in warned.items() if uid not in stale} <= {"pass"}


# --- dev and CI beside production ---------------------------------------------------------------


def test_a_dev_build_writes_only_its_own_schemas(production: Warehouse, engine_spark, target_env) -> None:
    if SMALL_DOMAIN not in domains_under_test():
        pytest.skip(f"the tiny warehouse has no {SMALL_DOMAIN} data (CASEBOOK_TEST_DOMAINS)")
    before = _production(engine_spark)
    dev = production.dbt("build", "--target", "dev", "--selector", SMALL_DOMAIN)
    assert dev.success, dev.exception
    assert _production(engine_spark) == before
    dev_marts = _tables(engine_spark, "dev_pytest_marts")
    assert {"dev_pytest_marts.fct_pod_trips", "dev_pytest_marts.fct_pod_trip_summary"} <= set(dev_marts)
    assert engine_spark.table("dev_pytest_marts.fct_pod_trips").count() > 0
    # and a production build of the same domain leaves the dev tables alone
    prod = production.dbt("build", "--selector", SMALL_DOMAIN, "--resource-type", "model")
    assert prod.success, prod.exception
    assert _tables(engine_spark, "dev_pytest_marts") == dev_marts


def test_dbt_clone_copies_production_marts_into_dev(
    production: Warehouse, engine_spark, target_env, tmp_path: Path
) -> None:
    production_state = tmp_path / "prod"
    parsed = _dbt_at("parse", target_path=production_state)
    assert parsed.success, parsed.exception
    # Temporary views of other in-process dbt runs (the conformance suite's) are listed too: not marts.
    marts = sorted(t.name for t in engine_spark.catalog.listTables("marts") if not t.isTemporary)[:3]
    assert marts, "the tiny warehouse has no marts"
    before = _production(engine_spark)
    cloned = production.dbt("clone", "--target", "dev", "--state", str(production_state), "--select", *marts)
    assert cloned.success, cloned.exception
    assert set(_statuses(cloned).values()) == {"success"}
    for mart in marts:
        original, clone = engine_spark.table(f"marts.{mart}"), engine_spark.table(f"dev_pytest_marts.{mart}")
        assert original.exceptAll(clone).count() == 0, mart
        assert clone.count() == original.count()
    assert _production(engine_spark) == before


# --- slim CI and retry ------------------------------------------------------------------------


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            shutil.copy2(source, project / part)
    return project


def test_slim_ci_builds_the_modified_model_and_its_children_deferring_to_production(
    production: Warehouse, engine_spark, target_env, project_copy: Path, tmp_path: Path
) -> None:
    if SMALL_DOMAIN not in domains_under_test():
        pytest.skip(f"the tiny warehouse has no {SMALL_DOMAIN} data (CASEBOOK_TEST_DOMAINS)")
    production_state = tmp_path / "prod"
    assert _dbt_at("parse", target_path=production_state).success
    model = project_copy / "models" / "staging" / SMALL_DOMAIN / "stg_pods__telemetry.sql"
    sql = model.read_text()
    # A broken change first: the CI build fails at the modified model and skips its children.
    model.write_text(sql.replace("with\n", "with\n\nbroken as (select no_such_column from nowhere),\n", 1))
    ci = tmp_path / "ci"
    slim = [
        "build",
        "--target",
        "ci",
        "--select",
        "state:modified+",
        "--defer",
        "--state",
        str(production_state),
    ]
    failed = _dbt_at(*slim, "--resource-type", "model", target_path=ci, project_dir=project_copy)
    assert not failed.success
    statuses = _statuses(failed)
    assert statuses["model.casebook.stg_pods__telemetry"] == "error"
    children = {uid for uid in statuses if uid != "model.casebook.stg_pods__telemetry"}
    assert children and {statuses[uid] for uid in children} == {"skipped"}
    assert all(".stg_pods__quarantined_readings" not in uid for uid in statuses)  # unmodified sibling
    # The fix, then `dbt retry`: only what failed or was skipped runs again, and passes.
    model.write_text(sql + "\n-- reviewed\n")
    retried = _dbt_at("retry", target_path=ci, project_dir=project_copy)
    assert retried.success, retried.exception
    assert set(_statuses(retried)) == set(statuses)
    assert set(_statuses(retried).values()) == {"success"}
    assert engine_spark.catalog.tableExists("ci_pytest_marts.fct_pod_trips")
    # Deferred: the unmodified parents were read from production, not built in the CI schemas.
    assert not engine_spark.catalog.tableExists("ci_pytest_staging.stg_pods__quarantined_readings")


# --- dbt build --empty ------------------------------------------------------------------------


def test_empty_build_on_fresh_schemas_creates_every_table_with_no_rows(
    production: Warehouse, engine_spark, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CASEBOOK_CI_SCHEMA", "ci_empty")  # schemas no other test writes: fresh
    # Two domains: pods (SQL and pandas-on-Spark models) and fraud (trees and MLflow: EMPTY_SCHEMA).
    # The whole project passes too (docs/dbt.md), but its 800 nodes take long on a shared machine.
    domains = [domain for domain in (SMALL_DOMAIN, "fraud") if domain in domains_under_test()]
    if not domains:
        pytest.skip("the tiny warehouse has neither pods nor fraud data (CASEBOOK_TEST_DOMAINS)")
    selection = ["--select", *(f"+path:models/marts/{domain}" for domain in domains)]
    empty = _dbt_at("build", "--empty", "--target", "ci", *selection, target_path=tmp_path / "empty")
    assert empty.success, empty.exception
    statuses = _statuses(empty)
    python_models = [uid for uid in statuses if (REPO_ROOT / _path_of(empty, uid)).suffix == ".py"]
    assert python_models
    for result in empty.result:
        node = result.node
        if node.resource_type != "model" or node.config.materialized != "table":
            continue
        table = f"{node.schema}.{node.alias}"
        assert node.schema.startswith("ci_empty_"), table
        assert engine_spark.table(table).count() == 0, table
        production_table = f"{node.schema.removeprefix('ci_empty_')}.{node.alias}"
        if engine_spark.catalog.tableExists(production_table):
            assert _columns(engine_spark, table) == _columns(engine_spark, production_table), table


def _columns(spark, table: str) -> list[tuple[str, str]]:
    return [(field.name, field.dataType.simpleString()) for field in spark.table(table).schema.fields]


def _path_of(result: dbtRunnerResult, unique_id: str) -> str:
    return next(r.node.original_file_path for r in result.result if r.node.unique_id == unique_id)
