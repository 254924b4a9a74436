"""`kill -9` of a dbt build at chosen moments: afterwards every table holds complete rows (old or new)
and the next build passes untouched.

One tiny project (pytests/fixtures/crash_project) in one data folder goes through six dbt processes:
  0. `dbt seed`: crash_seed (version 0) and binding_seed load cleanly;
  1-3. `dbt seed` of crash_seed's version 1 (240 rows, loaded in batches of 40), killed when dbt
     starts its 2nd, 7th and 8th SQL statement (with Casebook's seeds: a staging view, the swap, the
     first statement after the swap; with dbt-spark's: the create after the drop, two inserts);
  4. `dbt build` of a SQL table, a Python table and a data test that stores its failures, killed once
     each of the three has written its first file (one task of each stalls: CASEBOOK_CRASH_WAIT=1);
  5. the next `dbt build`, untouched: it must pass and leave every table complete.
Each process logs every table's rows when it starts and ends (the project's on-run-start/-end hooks),
so the rows a process finds when it starts are the rows the killed one left behind.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pytests.conftest import REPO_ROOT, VENV_BIN

pytestmark = pytest.mark.integration

FIXTURE = REPO_ROOT / "pytests" / "fixtures" / "crash_project"
SEED_NODE = "seed.casebook_crash.crash_seed"
SEED_KILL_STATEMENTS = (2, 7, 8)
FINAL_SEED_VERSION = 0
MODEL_TABLES = ("crash_table", "crash_python", "crash_check")
TRIGGER_TIMEOUT_SECONDS = 240
RUN_TIMEOUT_SECONDS = 600

Rows = list[list[str | None]]
State = dict[str, Rows | None]


@dataclass
class Run:
    """One dbt process: its exit code (None when killed), output, table states and node statuses."""

    returncode: int | None
    output: str
    states: dict[str, State]
    statuses: dict[str, str] = field(default_factory=dict)
    triggered: bool = True


@dataclass
class CrashProject:
    root: Path
    runs: list[Run] = field(default_factory=list)

    @property
    def project(self) -> Path:
        return self.root / "project"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def table_folder(self, table: str) -> Path:
        schema = "casebook_dbt_test__audit" if table == "crash_check" else "casebook_crash"
        return self.data / "warehouse" / f"{schema}.db" / table

    def write_seed(self, version: int) -> None:
        with (self.project / "seeds" / "crash_seed.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "label", "amount"])
            writer.writerows(seed_rows(version))

    def run(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        kill_when: Callable[[Path], bool] | None = None,
    ) -> Run:
        """Run dbt; with kill_when, kill -9 its whole process group as soon as kill_when(log) holds."""
        logs = self.root / f"logs-{len(self.runs)}"
        target = self.root / "target"
        command = [
            str(VENV_BIN / "dbt"),
            *args,
            "--project-dir",
            str(self.project),
            "--profiles-dir",
            str(REPO_ROOT / "profiles"),
            "--target-path",
            str(target),
            "--log-path",
            str(logs),
            "--log-format-file",
            "json",
        ]
        process_env = {**os.environ, "CASEBOOK_DATA_DIR": str(self.data)}
        process_env.pop("CASEBOOK_CRASH_WAIT", None)  # stalls only where a run asks for it
        process_env.update(env or {})
        with (self.root / f"output-{len(self.runs)}.txt").open("w+") as output:
            process = subprocess.Popen(
                command,
                cwd=self.root,
                env=process_env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            triggered = True
            if kill_when is not None:
                triggered = _wait_for(lambda: kill_when(logs / "dbt.log"), process)
                _kill_group(process)
                returncode = None
            else:
                returncode = process.wait(timeout=RUN_TIMEOUT_SECONDS)
            output.seek(0)
            text = output.read()
        run = Run(returncode, text, crash_states(logs / "dbt.log"), node_statuses(target), triggered)
        if kill_when is not None:
            run.statuses = {}
        self.runs.append(run)
        return run


def seed_rows(version: int) -> list[list[str]]:
    """crash_seed's rows: version 0 and 1 differ in every row and in their number of rows."""
    count = 200 + 40 * version
    return [[str(i), f"v{version}-{i}", f"{i}.5"] for i in range(count)]


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + TRIGGER_TIMEOUT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _kill_group(process: subprocess.Popen) -> None:
    """kill -9 dbt and everything it started (its JVM, Python workers); wait until all are gone."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def log_events(log: Path) -> list[dict]:
    if not log.is_file():
        return []
    events = []
    for line in log.read_text(errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by the kill
    return events


def crash_states(log: Path) -> dict[str, State]:
    """The rows the project's hooks logged: {'before': state, 'after': state}."""
    states = {}
    for event in log_events(log):
        message = event.get("info", {}).get("msg", "")
        if message.startswith("CRASH_STATE "):
            _, when, payload = message.split(" ", 2)
            states[when] = json.loads(payload)
    return states


def node_statuses(target: Path) -> dict[str, str]:
    results = target / "run_results.json"
    if not results.is_file():
        return {}
    return {r["unique_id"].split(".")[-1]: r["status"] for r in json.loads(results.read_text())["results"]}


def nth_statement_of(node: str, count: int) -> Callable[[Path], bool]:
    """True once dbt has logged the node's `count`-th SQL statement (logged just before it runs)."""

    def reached(log: Path) -> bool:
        statements = [
            event
            for event in log_events(log)
            if event.get("info", {}).get("name") == "SQLQuery"
            and event.get("data", {}).get("conn_name") == node
        ]
        return len(statements) >= count

    return reached


def files_written(project: CrashProject, tables: tuple[str, ...]) -> Callable[[Path], bool]:
    """True once every table's folder holds a data file (its write has begun, not yet committed)."""

    def written(_: Path) -> bool:
        return all(any(project.table_folder(table).glob("*.parquet")) for table in tables)

    return written


def unreferenced_data_files(folder: Path) -> list[str]:
    """Data files in a Delta table's folder that no commit of its log ever added: a write's leftovers."""
    added = set()
    for commit in (folder / "_delta_log").glob("*.json"):
        for line in commit.read_text().splitlines():
            action = json.loads(line)
            if "add" in action:
                added.add(action["add"]["path"])
    return sorted(path.name for path in folder.glob("*.parquet") if path.name not in added)


def _sorted(rows: Rows | None) -> Rows | None:
    return None if rows is None else sorted(rows, key=lambda row: [str(cell) for cell in row])


def expected_seed(version: int) -> Rows:
    return _sorted([[i, label, amount] for i, label, amount in seed_rows(version)])


def expected_model(table: str, seed_version: int) -> Rows:
    if table == "crash_table":
        rows = [[str(i), str(2 * i), None] for i in range(1000)]
    elif table == "crash_python":
        rows = [[str(i), str(3 * i), None] for i in range(1000)]
    else:
        seed_ids = range(len(seed_rows(seed_version)))
        rows = [[str(copy), str(i), None] for copy in (0, 1) for i in seed_ids if i % 10 == 0]
    return _sorted(rows)


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> CrashProject:
    project = CrashProject(tmp_path_factory.mktemp("crash"))
    shutil.copytree(FIXTURE, project.project)
    project.write_seed(0)
    project.run("seed")
    project.write_seed(1)
    for statement in SEED_KILL_STATEMENTS:
        project.run("seed", "--select", "crash_seed", kill_when=nth_statement_of(SEED_NODE, statement))
    project.run(
        "build",
        "--select",
        *MODEL_TABLES,
        "--threads",
        "3",
        env={"CASEBOOK_CRASH_WAIT": "1", "CASEBOOK_SPARK_MASTER": "local[4]"},
        kill_when=files_written(project, MODEL_TABLES),
    )
    project.write_seed(FINAL_SEED_VERSION)
    project.run("build", "--exclude", "binding_seed")
    return project


def test_every_kill_landed_while_its_nodes_were_writing(crashed: CrashProject) -> None:
    killed = crashed.runs[1:5]
    assert [run.triggered for run in killed] == [True] * 4, [run.output[-3000:] for run in killed]


def test_seed_killed_mid_load_keeps_its_old_or_new_rows(crashed: CrashProject) -> None:
    clean_load = crashed.runs[1].states["before"]["crash_seed"]
    assert _sorted(clean_load) == expected_seed(0)
    complete = [expected_seed(0), expected_seed(1)]
    for number in range(1, len(SEED_KILL_STATEMENTS) + 1):
        left_behind = _sorted(crashed.runs[number + 1].states["before"]["crash_seed"])
        rows = "no table" if left_behind is None else f"{len(left_behind)} rows"
        assert left_behind in complete, f"kill {number} left crash_seed with {rows}"


def test_next_build_after_the_crashes_passes_untouched(crashed: CrashProject) -> None:
    final = crashed.runs[-1]
    assert final.returncode == 0, final.output[-6000:]
    assert set(final.statuses.values()) <= {"success", "warn"}, final.statuses
    assert _sorted(final.states["after"]["crash_seed"]) == expected_seed(FINAL_SEED_VERSION)


@pytest.mark.parametrize("table", MODEL_TABLES)
def test_table_killed_mid_write_is_rebuilt_by_the_next_build(crashed: CrashProject, table: str) -> None:
    """crash_table (SQL), crash_python (Python) and crash_check (a data test's stored failures)."""
    final = crashed.runs[-1]
    left_behind = final.states["before"][table]
    seed_versions = (0, 1)  # the data test reads crash_seed, which holds one of its versions
    assert left_behind is None or any(_sorted(left_behind) == expected_model(table, v) for v in seed_versions)
    assert final.statuses.get(table) in {"success", "warn"}, final.output[-6000:]
    assert _sorted(final.states["after"][table]) == expected_model(table, FINAL_SEED_VERSION)
    # The killed write's files are not left inside the new table's folder (they are in data/recovered/).
    assert unreferenced_data_files(crashed.table_folder(table)) == []


def test_leftover_folder_is_moved_aside_under_data_with_one_line(crashed: CrashProject) -> None:
    final = crashed.runs[-1]
    recovered = sorted(path.name for path in (crashed.data / "recovered").iterdir())
    moved = [line for line in final.output.splitlines() if "Moved data/warehouse/" in line]
    for table in MODEL_TABLES:
        assert [name for name in recovered if f".{table}-" in name], recovered
        (line,) = [line for line in moved if f".db/{table} (" in line]
        assert "data/recovered/casebook_" in line and "delete it when you no longer need it" in line


def test_seed_cells_round_trip_exactly(crashed: CrashProject) -> None:
    """Empty cells are NULL (not 'None'); quotes, backslashes and newlines come back as written."""
    loaded = crashed.runs[0]
    assert loaded.statuses.get("binding_seed") == "success", loaded.output[-4000:]
    with (FIXTURE / "seeds" / "binding_seed.csv").open(newline="") as handle:
        written = list(csv.DictReader(handle))
    expected = [
        [
            row["id"],
            row["name"] or None,
            row["note"] or None,
            str(float(row["amount"])) if row["amount"] else None,
        ]
        for row in written
    ]
    assert _sorted(loaded.states["after"]["binding_seed"]) == _sorted(expected)


def test_seed_of_a_format_without_atomic_replace_loads_and_reloads(crashed: CrashProject) -> None:
    """parquet_seed (file_format parquet): created by the first run, dropped and recreated by the last."""
    first, final = crashed.runs[0], crashed.runs[-1]
    assert first.statuses.get("parquet_seed") == "success", first.output[-4000:]
    assert final.statuses.get("parquet_seed") == "success", final.output[-4000:]
    for run in (first, final):
        assert _sorted(run.states["after"]["parquet_seed"]) == [["1", "a"], ["2", "b"]]
