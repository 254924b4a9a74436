"""Shared fixtures: the repo root, the real public data (when present), dbt runs, one SparkSession."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from _pytest.nodeid import coerce_node_id

REPO_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def real_data_dir() -> Path:
    """Real public data sets: $CASEBOOK_REAL_DATA_DIR, else ../shared/data beside the repo."""
    configured = os.environ.get("CASEBOOK_REAL_DATA_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"


def require_real_data(name: str) -> Path:
    """The folder of one real data set, or skip the test saying where it was looked for."""
    folder = real_data_dir() / name
    if not folder.is_dir():
        pytest.skip(f"real data set {name} not found at {folder}: set CASEBOOK_REAL_DATA_DIR to run this")
    return folder


PARTIAL_PARSE = "partial_parse.msgpack"
_project_parse: list[Path | None] = []


def _parsed_project() -> Path | None:
    """This process's one `dbt parse` of the project (its partial-parse file), or None if it failed."""
    if not _project_parse:
        folder = Path(tempfile.mkdtemp(prefix="casebook-parse-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        command = dbt_command("parse", target_path=folder, seed_parse=False)
        result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
        _project_parse.append(folder / PARTIAL_PARSE if result.returncode == 0 else None)
    return _project_parse[0]


def dbt_command(
    *args: str, target_path: Path, project_dir: Path = REPO_ROOT, seed_parse: bool = True
) -> list[str]:
    """A dbt command line for a project (this one by default), writing artifacts under target_path.

    A new target folder of this project starts with the process's parse of it, so dbt's partial
    parsing skips the full parse (about 10 s of every dbt process). dbt checks the saved parse against
    the project's files, vars, profile and env vars, and parses afresh whatever differs.
    """
    parsed = _parsed_project() if seed_parse and project_dir == REPO_ROOT else None
    if parsed is not None and not (target_path / PARTIAL_PARSE).exists():
        target_path.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(parsed, target_path / PARTIAL_PARSE)
    return [
        str(VENV_BIN / "dbt"),
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(REPO_ROOT / "profiles"),
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path / "logs"),
    ]


def run_dbt_process(*args: str, data_dir: Path, env: dict[str, str] | None = None) -> str:
    """Run dbt in its own process (own JVM, own metastore under data_dir); return its output."""
    process_env = {**os.environ, "CASEBOOK_DATA_DIR": str(data_dir), **(env or {})}
    result = subprocess.run(
        dbt_command(*args, target_path=data_dir / "target"),
        cwd=REPO_ROOT,
        env=process_env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"dbt {' '.join(args)} failed:\n{output[-6000:]}"
    return output


@pytest.fixture(scope="session")
def engine_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One data folder (warehouse, metastore) for every in-process dbt run of the session: the
    SparkSession starts once per process and keeps the warehouse and metastore it started with."""
    data_dir = tmp_path_factory.mktemp("warehouse")
    previous = {name: os.environ.get(name) for name in ("CASEBOOK_DATA_DIR", "CASEBOOK_PROJECT_DIR")}
    os.environ["CASEBOOK_DATA_DIR"] = str(data_dir)
    os.environ["CASEBOOK_PROJECT_DIR"] = str(REPO_ROOT)
    yield data_dir
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def engine_spark(engine_data_dir: Path):
    """This process's one SparkSession (on the session's data folder), whatever has been built in it."""
    from casebook.engine import get_spark

    return get_spark()


@pytest.fixture(scope="session")
def read_delta(engine_spark):
    """Read a Delta table of another warehouse by path. It needs no metastore, so the tests that build
    their own warehouse in dbt processes run beside the shared one."""

    def read(path: Path) -> pd.DataFrame:
        return engine_spark.read.format("delta").load(str(path)).toPandas()

    return read


# Fixtures that hold this process's one SparkSession on the shared tiny warehouse.
IN_PROCESS_WAREHOUSE = {"warehouse", "first_build", "spark"}
# The longest groups of `make test`, longest first (summed durations of a CI run, docs/benchmarks.md):
# handed out first (make test passes --no-loadscope-reorder, else xdist orders groups by their number
# of tests), so the workers finish together instead of one running the last long module alone.
LONGEST_GROUPS = (
    "warehouse",
    "pytests/integration/test_serving.py",
    "pytests/integration/test_dbt_workflow.py",
    "pytests/reliability/test_crash.py",
    "pytests/integration/test_cluster_target.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`make test` runs `-n 2 --dist loadgroup`), every test on the shared tiny
    warehouse goes to one worker, so it is built once; every other module stays whole on one worker
    (its module fixtures, e.g. a served warehouse, are built once too); the longest groups go first."""
    # xdist 3.8 writes a test's group as an `@group` suffix of its id through `item._nodeid`, which
    # pytest 9 no longer reads (the id lives in `item._id`): the suffix is written here instead.
    grouping = bool(getattr(config.option, "loadgroup", False))
    groups: dict[int, str] = {}  # by id(): an item's hash follows its node id, changed below
    for item in items:
        if IN_PROCESS_WAREHOUSE & set(getattr(item, "fixturenames", ())):
            group = "warehouse"
        else:
            group = item.nodeid.split("::", 1)[0]
        groups[id(item)] = group
        item.add_marker(pytest.mark.xdist_group(group))
        if grouping and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{group}")
    # Stable sorts: the tests of a group keep their order, but a test that changes the shared
    # warehouse's data (a second load, a real data set) runs after every other test on it.
    items.sort(key=lambda item: item.get_closest_marker("changes_shared_warehouse") is not None)
    if grouping:
        rank = {group: position for position, group in enumerate(LONGEST_GROUPS)}
        items.sort(key=lambda item: rank.get(groups[id(item)], len(LONGEST_GROUPS)))
