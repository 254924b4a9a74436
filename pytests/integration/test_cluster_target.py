"""`dbt build --target cluster` against a real standalone Spark master and two workers on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from casebook.data.ticks import write_ticks
from pytests.conftest import VENV_BIN, run_dbt_process
from pytests.oracles import duckdb_asof, matched_quotes

pytestmark = [pytest.mark.integration, pytest.mark.cluster]

HOST = "127.0.0.1"
STARTUP_SECONDS = 90
WORKERS = 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait_for(log: Path, text: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.5)
    raise AssertionError(f"'{text}' not seen in {log}:\n{log.read_text(errors='replace')[-3000:]}")


def _start(log: Path, *args: str) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(
        [str(VENV_BIN / "spark-class"), *args],
        stdout=handle,
        stderr=subprocess.STDOUT,
        env={"PATH": f"{VENV_BIN}:/usr/bin:/bin", "SPARK_LOCAL_IP": HOST},
    )


@dataclass
class Cluster:
    url: str
    work_dirs: list[Path]


@pytest.fixture(scope="module")
def standalone_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A master and WORKERS workers of one core each: the tasks of one build spread over two JVMs."""
    logs = tmp_path_factory.mktemp("cluster")
    port, master_ui = _free_port(), _free_port()
    url = f"spark://{HOST}:{port}"
    master = _start(
        logs / "master.log", "org.apache.spark.deploy.master.Master",
        "--host", HOST, "--port", str(port), "--webui-port", str(master_ui),
    )  # fmt: skip
    workers: list[subprocess.Popen] = []
    try:
        _wait_for(logs / "master.log", "I have been elected leader", master)
        for number in range(WORKERS):
            log = logs / f"worker-{number}.log"
            worker = _start(
                log, "org.apache.spark.deploy.worker.Worker", url,
                "--host", HOST, "--cores", "1", "--memory", "1536m", "--webui-port", str(_free_port()),
                "--work-dir", str(logs / f"work-{number}"),
            )  # fmt: skip
            workers.append(worker)
            _wait_for(log, "Successfully registered with master", workers[-1])
        yield Cluster(url=url, work_dirs=[logs / f"work-{number}" for number in range(WORKERS)])
    finally:
        for process in (*workers, master):
            process.terminate()
            process.wait(timeout=30)


def test_dbt_build_runs_on_a_standalone_cluster(
    standalone_cluster: Cluster, tmp_path: Path, read_delta
) -> None:
    data_dir = tmp_path / "cluster-warehouse"
    write_ticks(data_dir / "raw", "tiny", 42)
    # SQL models, and Python models of both materializations, with executors on the cluster.
    output = run_dbt_process(
        "build", "--target", "cluster", "--select", "+fct_spread_stats", "+fct_daily_spread", "fct_quotes",
        data_dir=data_dir,
        env={"CASEBOOK_CLUSTER_URL": standalone_cluster.url, "SPARK_LOCAL_IP": HOST},
    )  # fmt: skip
    assert "Completed successfully" in output
    stats = read_delta(data_dir / "warehouse" / "marts.db" / "fct_spread_stats")
    trades = read_delta(data_dir / "warehouse" / "marts.db" / "fct_trades")
    assert len(stats) == trades["symbol"].nunique() == 3
    assert stats["trade_count"].sum() == len(trades)
    # The as-of join as the cluster ran it matches every trade to the quote DuckDB's ASOF JOIN gives.
    quotes = read_delta(data_dir / "warehouse" / "marts.db" / "fct_quotes")
    oracle = duckdb_asof(trades[["symbol", "seq", "event_ts", "trade_pr", "trade_qty"]], quotes)
    pd.testing.assert_frame_equal(matched_quotes(trades), matched_quotes(oracle))
    # Each worker ran an executor of the build: its tasks were spread over two JVMs.
    for work_dir in standalone_cluster.work_dirs:
        assert list(work_dir.glob("app-*/*/stderr")), f"no executor ran on the worker of {work_dir}"
