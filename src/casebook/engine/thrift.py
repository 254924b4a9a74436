"""`casebook serve` / `casebook stop`: the Spark Thrift Server (HiveServer2 protocol) over the warehouse.

BI tools (JDBC/ODBC), beeline and PyHive read the marts through it. It is the pip pyspark's own
HiveThriftServer2, started by spark-submit with the engine's settings (Delta, the warehouse, the
metastore), in its own session so it outlives the command. With the embedded Derby metastore the
server holds the project's metastore lock for as long as it runs; to build while it serves, use
the shared PostgreSQL metastore (casebook.engine.metastore).

The server starts locked: HiveServer2 CUSTOM authentication with PasswordFileAuthenticator (java/,
compiled with the JDK's javac into a cache folder on first use) checks user `casebook` and a generated
password (data/secrets/thrift.password, 0600, or $CASEBOOK_THRIFT_PASSWORD); it binds to loopback
unless asked for more with allow_remote; and its sessions cannot reach the files or programs of the
account that runs it: path queries are off (spark.sql.runSQLOnFiles=false, so ``text.`/etc/hostname` ``
is refused) and the ServedSessionGuard extension refuses turning them back on, TRANSFORM ... USING,
ADD JAR/FILE, CREATE FUNCTION, LOAD DATA and table locations outside the warehouse and the raw lake.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from casebook import paths
from casebook.engine import jars, lock, processes, secrets
from casebook.engine.lock import MetastoreBusyError
from casebook.engine.session import (
    DERBY_BUSY_SIGNS,
    EngineSettings,
    spark_conf,
    split_secrets,
    write_properties,
)

SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 10000
USER = "casebook"
PASSWORD_ENV = secrets.THRIFT_PASSWORD_ENV
JAVA_SOURCES = Path(__file__).with_name("java")
AUTHENTICATOR_CLASS = "casebook.thrift.PasswordFileAuthenticator"
GUARD_EXTENSION = "casebook.thrift.ServedSessionGuard"
# Settings only an in-process PySpark driver uses; spark-submit takes memory as a flag.
_NOT_FOR_SERVER = {"spark.pyspark.python", "spark.app.name", "spark.driver.memory"}
# Served sessions may read tables, not arbitrary files of the account that runs the server.
SERVER_ONLY_CONF = {"spark.sql.runSQLOnFiles": "false"}


class ThriftServerError(RuntimeError):
    """Raised when the Thrift server cannot start or stop."""


@dataclass(frozen=True)
class RunningServer:
    pid: int
    host: str
    port: int
    log: Path
    password_file: Path


def server_dir(root: Path | None = None) -> Path:
    return paths.data_dir(root) / "thrift"


def _state_file(root: Path | None = None) -> Path:
    return server_dir(root) / "server.json"


def spark_submit() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent / "bin" / "spark-submit"


def hive_llap_common_jar() -> Path:
    """Hive's llap-common jar, which Spark 4.0 no longer ships (SPARK-51029).

    Closing a session can initialize Hive's FunctionRegistry, whose built-in UDTFs need its classes:
    without them the client's CloseSession fails with NoClassDefFoundError LlapSigner$Signable.
    The version is that of the Hive jars pyspark ships.
    """
    hive_exec = next((spark_submit().parents[1] / "jars").glob("hive-exec-*-core.jar"))
    hive_version = hive_exec.name.removeprefix("hive-exec-").removesuffix("-core.jar")
    try:
        return jars.maven_jar("org.apache.hive", "hive-llap-common", hive_version, folder="hive")
    except jars.JarFetchError as error:
        raise ThriftServerError(str(error)) from None


def server_classes() -> Path:
    """The compiled password check and session guard (java/): javac runs once per version of the
    sources, into a cache folder beside Delta's jars."""
    sources = sorted(JAVA_SOURCES.glob("*.java"))
    digest = hashlib.sha256(b"".join(source.read_bytes() for source in sources)).hexdigest()[:16]
    folder = jars.ivy_dir() / "casebook-thrift-classes" / digest
    if folder.is_dir():
        return folder
    javac = shutil.which("javac")
    if javac is None:
        raise ThriftServerError(
            "`casebook serve` compiles its password check with the JDK's javac, which was not found: "
            "install a JDK 17 (Debian: `apt-get install openjdk-17-jdk-headless`)."
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".compiling-", dir=folder.parent))
    class_path = ":".join(str(jar) for jar in (spark_submit().parents[1] / "jars").glob("*.jar"))
    result = subprocess.run(
        [javac, "--release", "17", "-cp", class_path, "-d", str(scratch), *map(str, sources)],
        capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        raise ThriftServerError(f"javac could not compile {JAVA_SOURCES}: {result.stderr.strip()}")
    try:
        scratch.rename(folder)
    except OSError:  # another `casebook serve` compiled it first
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def check_host(host: str, allow_remote: bool) -> None:
    """Refuse a bind address beyond loopback unless `allow_remote`; warn when it is allowed."""
    if _is_loopback(host):
        return
    if not allow_remote:
        raise ThriftServerError(
            f"--host {host} would let other machines reach the Thrift server: keep the default "
            f"{DEFAULT_HOST}, or add --allow-remote if you mean it (clients still need the password)."
        )
    print(
        f"casebook: warning: the Thrift server listens on {host}: other machines can reach it and try "
        "the password; traffic is not encrypted.",
        file=sys.stderr,
    )


def _is_loopback(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(address.split("%")[0]).is_loopback for address in addresses)


def server_command(settings: EngineSettings, host: str, port: int, properties: Path) -> list[str]:
    """The spark-submit command line of a Thrift server with the engine's settings.

    Secret settings (the metastore's password) go to `properties`, a 0600 file, not the command line.
    """
    conf = {key: value for key, value in spark_conf(settings).items() if key not in _NOT_FOR_SERVER}
    conf, secret_conf = split_secrets({**conf, **SERVER_ONLY_CONF})
    write_properties(properties, secret_conf)
    if "spark.jars" not in conf:
        raise ThriftServerError(
            "Delta's jars are not cached yet: run any dbt command (e.g. `make build`) once, then serve."
        )
    # Sessions of the Thrift server load catalog classes (Delta's) from the driver's class path only.
    class_path = [jar for jar in conf["spark.jars"].split(",") if jar]
    server_jars = [str(server_classes()), str(hive_llap_common_jar())]
    conf["spark.driver.extraClassPath"] = ":".join([*server_jars, *class_path])
    conf["spark.sql.extensions"] = ",".join(filter(None, [conf.get("spark.sql.extensions"), GUARD_EXTENSION]))
    command = [str(spark_submit()), "--class", SERVER_CLASS, "--name", "casebook-thrift"]
    command += ["--properties-file", str(properties), "--driver-memory", settings.driver_memory]
    for key, value in conf.items():
        command += ["--conf", f"{key}={value}"]
    command += ["spark-internal"]
    command += ["--hiveconf", f"hive.server2.thrift.bind.host={host}"]
    command += ["--hiveconf", f"hive.server2.thrift.port={port}"]
    command += ["--hiveconf", "hive.server2.authentication=CUSTOM"]
    command += ["--hiveconf", f"hive.server2.custom.authentication.class={AUTHENTICATOR_CLASS}"]
    return command


def running(root: Path | None = None) -> RunningServer | None:
    """The server this project started, if it is still alive."""
    state = _state_file(root)
    if not state.is_file():
        return None
    fields = json.loads(state.read_text())
    password_file = Path(fields.get("password_file") or secrets.thrift_password_file(root))
    server = RunningServer(fields["pid"], fields["host"], fields["port"], Path(fields["log"]), password_file)
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
    allow_remote: bool = False,
) -> RunningServer:
    """Start the server and return once it accepts connections; fail with the reason if it cannot."""
    check_host(host, allow_remote)
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
    folder.chmod(0o700)
    log = folder / "server.log"
    secrets.thrift_password(root, create=True)
    password_file = secrets.thrift_password_file(root)
    command = server_command(settings, host, port, secrets.secrets_dir(root) / "thrift-spark.conf")
    held = _lock_metastore(settings, root)
    served = [paths.warehouse_dir(root).as_uri(), paths.raw_dir(root).as_uri()]
    try:
        process = _spawn(command, log, held, {
            "CASEBOOK_THRIFT_PASSWORD_FILE": str(password_file),
            "CASEBOOK_THRIFT_USER": USER,
            "CASEBOOK_SERVED_FOLDERS": ",".join(served),
        })  # fmt: skip
        if held is not None:
            lock.describe(held, f"pid {process.pid}: casebook Thrift server on {host}:{port}")
    finally:
        if held is not None:
            held.close()  # the server keeps its own copy of the locked file
    server = RunningServer(process.pid, host, port, log, password_file)
    fields = {**server.__dict__, "log": str(log), "password_file": str(password_file)}
    _state_file(root).write_text(json.dumps(fields))
    _wait_until_ready(process, server, timeout_seconds, root)
    return server


def _lock_metastore(settings: EngineSettings, root: Path):
    from casebook.engine.metastore import is_embedded

    if not is_embedded(settings.metastore_url):
        return None
    return lock.take(paths.metastore_dir(root), "casebook serve (starting)")


def _spawn(command: list[str], log: Path, held, env: dict[str, str]) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(
            command,
            env={**os.environ, **env},
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
    processes.end_group(server.pid, timeout_seconds)
    _state_file(root).unlink(missing_ok=True)
    return server
