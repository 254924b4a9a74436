"""`dbt build --target cluster` against a real standalone Spark master and worker on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from casebook.data.ticks import write_ticks
from pytests.conftest import VENV_BIN, run_dbt_process

pytestmark = [pytest.mark.integration, pytest.mark.cluster]

HOST = "127.0.0.1"
STARTUP_SECONDS = 90


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


@pytest.fixture(scope="module")
def standalone_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    logs = tmp_path_factory.mktemp("cluster")
    port, master_ui, worker_ui = _free_port(), _free_port(), _free_port()
    url = f"spark://{HOST}:{port}"
    master = _start(
        logs / "master.log", "org.apache.spark.deploy.master.Master",
        "--host", HOST, "--port", str(port), "--webui-port", str(master_ui),
    )  # fmt: skip
    worker = None
    try:
        _wait_for(logs / "master.log", "I have been elected leader", master)
        worker = _start(
            logs / "worker.log", "org.apache.spark.deploy.worker.Worker", url,
            "--host", HOST, "--cores", "2", "--memory", "3g", "--webui-port", str(worker_ui),
            "--work-dir", str(logs / "work"),
        )  # fmt: skip
        _wait_for(logs / "worker.log", "Successfully registered with master", worker)
        yield url
    finally:
        for process in (worker, master):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


def test_dbt_build_runs_on_a_standalone_cluster(standalone_cluster: str, tmp_path: Path, read_delta) -> None:
    data_dir = tmp_path / "cluster-warehouse"
    write_ticks(data_dir / "raw", "tiny", 42)
    # SQL models, and Python models of both materializations, with executors on the cluster.
    output = run_dbt_process(
        "build", "--target", "cluster", "--select", "+fct_spread_stats", "+fct_daily_spread",
        data_dir=data_dir,
        env={"CASEBOOK_CLUSTER_URL": standalone_cluster, "SPARK_LOCAL_IP": HOST},
    )  # fmt: skip
    assert "Completed successfully" in output
    stats = read_delta(data_dir / "warehouse" / "marts.db" / "fct_spread_stats")
    trades = read_delta(data_dir / "warehouse" / "marts.db" / "fct_trades")
    assert len(stats) == trades["symbol"].nunique() == 3
    assert stats["trade_count"].sum() == len(trades)
