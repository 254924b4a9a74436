"""`casebook serve` / `casebook stop`: the Spark Thrift Server (HiveServer2 protocol) over the warehouse.

BI tools (JDBC/ODBC), beeline and PyHive read the marts through it. It is the pip pyspark's own
HiveThriftServer2, started by spark-submit with the engine's settings (Delta, the warehouse, the
metastore), in its own session so it outlives the command. With the embedded Derby metastore the
server holds the project's metastore lock for as long as it runs; to build while it serves, use
the shared PostgreSQL metastore (casebook.engine.metastore).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from casebook import paths
from casebook.engine import lock
from casebook.engine.lock import MetastoreBusyError
from casebook.engine.session import DERBY_BUSY_SIGNS, EngineSettings, spark_conf

SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 10000
# Settings only an in-process PySpark driver uses; spark-submit takes memory as a flag.
_NOT_FOR_SERVER = {"spark.pyspark.python", "spark.app.name", "spark.driver.memory"}


class ThriftServerError(RuntimeError):
    """Raised when the Thrift server cannot start or stop."""


@dataclass(frozen=True)
class RunningServer:
    pid: int
    host: str
    port: int
    log: Path


def server_dir(root: Path | None = None) -> Path:
    return paths.data_dir(root) / "thrift"


def _state_file(root: Path | None = None) -> Path:
    return server_dir(root) / "server.json"


def spark_submit() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent / "bin" / "spark-submit"


def server_command(settings: EngineSettings, host: str, port: int) -> list[str]:
    """The spark-submit command line of a Thrift server with the engine's settings."""
    conf = {key: value for key, value in spark_conf(settings).items() if key not in _NOT_FOR_SERVER}
    if "spark.jars" not in conf:
        raise ThriftServerError(
            "Delta's jars are not cached yet: run any dbt command (e.g. `make build`) once, then serve."
        )
    # Sessions of the Thrift server load catalog classes (Delta's) from the driver's class path only.
    class_path = [jar for jar in conf["spark.jars"].split(",") if jar]
    conf["spark.driver.extraClassPath"] = ":".join(class_path)
    command = [str(spark_submit()), "--class", SERVER_CLASS, "--name", "casebook-thrift"]
    command += ["--driver-memory", settings.driver_memory]
    for key, value in conf.items():
        command += ["--conf", f"{key}={value}"]
    command += ["spark-internal"]
    command += ["--hiveconf", f"hive.server2.thrift.bind.host={host}"]
    command += ["--hiveconf", f"hive.server2.thrift.port={port}"]
    return command


def running(root: Path | None = None) -> RunningServer | None:
    """The server this project started, if it is still alive."""
    state = _state_file(root)
    if not state.is_file():
        return None
    fields = json.loads(state.read_text())
    server = RunningServer(fields["pid"], fields["host"], fields["port"], Path(fields["log"]))
    try:
        os.kill(server.pid, 0)
    except ProcessLookupError:
        state.unlink(missing_ok=True)
        return None
    return server


def _accepts_connections(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def start(
    settings: EngineSettings | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout_seconds: float = 300,
) -> RunningServer:
    """Start the server and return once it accepts connections; fail with the reason if it cannot."""
    settings = settings or EngineSettings.from_env()
    root = settings.root or paths.project_root()
    settings = EngineSettings(**{**settings.__dict__, "root": root})
    current = running(root)
    if current:
        raise ThriftServerError(
            f"A Thrift server of this project already runs (pid {current.pid}) on "
            f"{current.host}:{current.port}; `casebook stop` stops it."
        )
    if _accepts_connections(host, port):
        raise ThriftServerError(f"Port {port} on {host} is taken by another program; pick --port.")
    folder = server_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    paths.warehouse_dir(root).mkdir(parents=True, exist_ok=True)
    log = folder / "server.log"
    held = _lock_metastore(settings, root)
    try:
        process = _spawn(server_command(settings, host, port), log, held)
        if held is not None:
            lock.describe(held, f"pid {process.pid}: casebook Thrift server on {host}:{port}")
    finally:
        if held is not None:
            held.close()  # the server keeps its own copy of the locked file
    server = RunningServer(process.pid, host, port, log)
    _state_file(root).write_text(json.dumps({**server.__dict__, "log": str(log)}))
    _wait_until_ready(process, server, timeout_seconds, root)
    return server


def _lock_metastore(settings: EngineSettings, root: Path):
    from casebook.engine.metastore import is_embedded

    if not is_embedded(settings.metastore_url):
        return None
    return lock.take(paths.metastore_dir(root), "casebook serve (starting)")


def _spawn(command: list[str], log: Path, held) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            pass_fds=(held.fileno(),) if held is not None else (),
        )


def _wait_until_ready(process: subprocess.Popen, server: RunningServer, timeout: float, root: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _state_file(root).unlink(missing_ok=True)
            raise _startup_error(server.log, root)
        if _accepts_connections(server.host, server.port):
            return
        time.sleep(1)
    stop(root)
    raise ThriftServerError(f"The Thrift server did not open {server.host}:{server.port} in {timeout:.0f} s; "
                            f"see {server.log}.")  # fmt: skip


def _startup_error(log: Path, root: Path) -> Exception:
    text = log.read_text(errors="replace") if log.is_file() else ""
    if any(sign in text for sign in DERBY_BUSY_SIGNS):
        return MetastoreBusyError(lock.busy_message(paths.metastore_dir(root), "another JVM"))
    tail = "\n".join(text.splitlines()[-25:])
    return ThriftServerError(f"The Thrift server exited while starting; the end of {log}:\n{tail}")


def stop(root: Path | None = None, timeout_seconds: float = 60) -> RunningServer | None:
    """Stop this project's server (its whole process group); None when none was running."""
    server = running(root)
    if server is None:
        return None
    _signal_group(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline and _alive(server.pid):
        time.sleep(0.5)
    if _alive(server.pid):
        _signal_group(server.pid, signal.SIGKILL)
    _state_file(root).unlink(missing_ok=True)
    return server


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)


def _alive(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        finished = 0  # not our child (started by an earlier command): ask the kernel instead
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return finished == 0
