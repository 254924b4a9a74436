"""Serving the warehouse: the Thrift server on a PostgreSQL metastore shared with `dbt build`.

A real PostgreSQL server (Debian's), a real Spark Thrift Server started by `casebook serve`, and real
clients: beeline (from pyspark) and PyHive. dbt builds into the same metastore from its own process.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyspark
import pytest
from pyhive import hive

from casebook.data.ticks import write_ticks
from casebook.engine import postgres
from pytests.conftest import REPO_ROOT, VENV_BIN, dbt_command, run_dbt_process
from pytests.integration.conftest import SEED, Warehouse

pytestmark = pytest.mark.integration

BEELINE = Path(pyspark.__file__).parent / "bin" / "beeline"
VWAP_KEYS = ["symbol", "bucket_start_ts"]
VWAP_CHECKED = [*VWAP_KEYS, "trade_count", "volume_qty", "vwap_pr", "high_pr", "low_pr", "close_pr"]
# Rewriting fct_vwap_1m with an earlier session close gives a different, equally valid table.
EARLY_CLOSE = '{"ticks_market_close": "12:00:00"}'
READ_INTERVAL_SECONDS = 0.25


@dataclass(frozen=True)
class SharedWarehouse:
    data_dir: Path
    env: dict[str, str]
    port: int

    @property
    def password(self) -> str:
        """The Thrift server's generated password (`casebook serve` writes it, 0600, under data/)."""
        return (self.data_dir / "secrets" / "thrift.password").read_text().strip()

    def query(self, statement: str) -> pd.DataFrame:
        connection = hive.connect(
            host="127.0.0.1", port=self.port, username="casebook", password=self.password, auth="CUSTOM"
        )
        try:
            cursor = connection.cursor()
            cursor.execute(statement)
            columns = [column[0].split(".")[-1] for column in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=columns)
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _casebook(*args: str, data_dir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "casebook"), *args],
        cwd=REPO_ROOT,
        env={**os.environ, "CASEBOOK_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


METASTORE_PASSWORD = secrets.token_urlsafe(24)


@pytest.fixture(scope="module")
def postgres_metastore() -> Iterator[postgres.PostgresServer]:
    # Not under pytest's tmp_path: when the tests run as root, the `postgres` user must reach it.
    parent = Path(tempfile.mkdtemp(prefix="casebook-pg-"))
    parent.chmod(0o755)
    server = postgres.start(parent / "cluster", METASTORE_PASSWORD, _free_port())
    yield server
    postgres.stop(server.folder)
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, postgres_metastore) -> Iterator[SharedWarehouse]:
    data_dir = tmp_path_factory.mktemp("shared-warehouse")
    write_ticks(data_dir / "raw", "tiny", SEED)
    env = {
        "CASEBOOK_METASTORE_URL": postgres_metastore.jdbc_url,
        "CASEBOOK_METASTORE_PASSWORD": METASTORE_PASSWORD,
    }
    selection = ("--select", "+fct_vwap_1m", "fct_vwap_5m")
    run_dbt_process("build", "--target", "shared", *selection, data_dir=data_dir, env=env)
    port = _free_port()
    started = _casebook("serve", "--port", str(port), data_dir=data_dir, env=env)
    assert started.returncode == 0, started.stdout + started.stderr
    yield SharedWarehouse(data_dir=data_dir, env=env, port=port)
    stopped = _casebook("stop", data_dir=data_dir, env=env)
    assert "stopped the Thrift server" in stopped.stdout, stopped.stdout + stopped.stderr


def _sorted(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    frame = frame[columns].copy()
    frame["bucket_start_ts"] = pd.to_datetime(frame["bucket_start_ts"]).astype("datetime64[us]")
    frame["trade_count"] = frame["trade_count"].astype("int64")
    frame["volume_qty"] = frame["volume_qty"].astype("int64")
    return frame.sort_values(VWAP_KEYS).reset_index(drop=True)


def test_pyhive_reads_what_spark_reads(shared: SharedWarehouse, read_delta) -> None:
    direct = read_delta(shared.data_dir / "warehouse" / "marts.db" / "fct_vwap_1m")
    served = shared.query(f"select {', '.join(VWAP_CHECKED)} from marts.fct_vwap_1m")
    assert len(direct) > 100
    pd.testing.assert_frame_equal(_sorted(served, VWAP_CHECKED), _sorted(direct, VWAP_CHECKED))


def test_beeline_reads_what_spark_reads(shared: SharedWarehouse, read_delta) -> None:
    direct = read_delta(shared.data_dir / "warehouse" / "marts.db" / "fct_vwap_1m")
    statement = "select count(*) as bars, sum(volume_qty) as volume from marts.fct_vwap_1m"
    result = subprocess.run(
        [str(BEELINE), "-u", f"jdbc:hive2://127.0.0.1:{shared.port}", "-n", "casebook",
         "-w", str(shared.data_dir / "secrets" / "thrift.password"),
         "--silent=true", "--outputformat=csv2", "-e", statement],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    # beeline echoes its prompt before the first output line; the header and values follow it.
    (values,) = re.search(r"bars,volume\s*\n(\S+)", result.stdout).groups()
    assert values == f"{len(direct)},{int(direct['volume_qty'].sum())}", result.stdout


def test_dbt_thrift_target_builds_sql_models_through_the_server(shared: SharedWarehouse, read_delta) -> None:
    # The mart as the embedded engine built it, then rebuilt through the Thrift server.
    embedded = read_delta(shared.data_dir / "warehouse" / "marts.db" / "fct_vwap_5m")
    run_dbt_process(
        "run", "--target", "thrift", "--select", "fct_vwap_5m",
        data_dir=shared.data_dir,
        env={**shared.env, "CASEBOOK_THRIFT_PORT": str(shared.port),
             "CASEBOOK_THRIFT_PASSWORD": shared.password},
    )  # fmt: skip
    served = shared.query(f"select {', '.join(VWAP_CHECKED)} from marts.fct_vwap_5m")
    pd.testing.assert_frame_equal(_sorted(served, VWAP_CHECKED), _sorted(embedded, VWAP_CHECKED))


def test_bi_tools_see_the_column_docs_through_the_server(shared: SharedWarehouse) -> None:
    manifest = json.loads((shared.data_dir / "target" / "manifest.json").read_text())
    model = manifest["nodes"]["model.casebook.fct_trades"]
    described = shared.query("describe table extended marts.fct_trades")
    comments = dict(zip(described["col_name"], described["comment"], strict=True))
    documented = {name: column["description"] for name, column in model["columns"].items()}
    assert len(documented) > 10
    assert {name: comments.get(name) for name in documented} == documented
    table_comment = described.loc[described["col_name"] == "Comment", "data_type"]
    assert table_comment.str.strip().tolist() == [model["description"].strip()]


def _snapshot(shared: SharedWarehouse) -> tuple[int, int]:
    row = shared.query("select count(*) as bars, sum(volume_qty) as volume from marts.fct_vwap_1m").iloc[0]
    return int(row["bars"]), int(row["volume"])


def _read_while(shared: SharedWarehouse, writer: subprocess.Popen) -> list[tuple[int, int] | str]:
    seen: list[tuple[int, int] | str] = []
    while writer.poll() is None:
        try:
            seen.append(_snapshot(shared))
        except Exception as error:  # a reader that fails mid-rewrite is a finding, not a crash
            seen.append(f"{type(error).__name__}: {error}")
        # A dashboard's pace, a few reads a second: back-to-back reads took the cores from the writer.
        time.sleep(READ_INTERVAL_SECONDS)
    return seen


def _rewrite(shared: SharedWarehouse, *extra: str) -> subprocess.Popen:
    command = dbt_command(
        "run", "--target", "shared", "--select", "int_ticks__market_hours_trades", "fct_vwap_1m", *extra,
        target_path=shared.data_dir / "target-rewrite",
    )  # fmt: skip
    env = {**os.environ, "CASEBOOK_DATA_DIR": str(shared.data_dir), **shared.env}
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_a_bi_reader_sees_only_whole_snapshots_while_dbt_rewrites_the_mart(shared: SharedWarehouse) -> None:
    full_session = _snapshot(shared)
    phases = []
    for extra in (["--vars", EARLY_CLOSE], []):
        writer = _rewrite(shared, *extra)
        seen = _read_while(shared, writer)
        output = writer.stdout.read().decode() if writer.stdout else ""
        assert writer.returncode == 0, output[-4000:]
        phases.append((seen, _snapshot(shared)))
    (first_seen, early_close), (second_seen, restored) = phases
    assert early_close != full_session and restored == full_session
    assert len(first_seen) > 3 and len(second_seen) > 3
    assert set(first_seen) <= {full_session, early_close}, set(first_seen)
    assert set(second_seen) <= {early_close, full_session}, set(second_seen)


def test_serve_refuses_a_metastore_held_by_another_process(warehouse: Warehouse, first_build) -> None:
    # This test process holds the main warehouse's embedded Derby metastore.
    env = {key: value for key, value in os.environ.items() if key != "CASEBOOK_METASTORE_URL"}
    result = subprocess.run(
        [str(VENV_BIN / "casebook"), "serve", "--port", str(_free_port())],
        cwd=REPO_ROOT, env={**env, "CASEBOOK_DATA_DIR": str(warehouse.data_dir)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Derby" in result.stderr and "shared metastore" in result.stderr
    assert "Traceback" not in result.stderr
