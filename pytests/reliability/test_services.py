"""The shared metastore and the Thrift server start locked (issue #14, items 5 and 6).

Real PostgreSQL (Debian's) started by `casebook metastore start`, a real Thrift server started by
`casebook serve`, and a second OS user (`nobody`, through runuser) trying to get in.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyhive import hive

from casebook.engine import postgres
from pytests.conftest import REPO_ROOT, VENV_BIN

pytestmark = pytest.mark.integration
SECOND_USER = "nobody"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def casebook(*args: str, data_dir: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CASEBOOK_METASTORE")}
    return subprocess.run(
        [str(VENV_BIN / "casebook"), *args],
        cwd=REPO_ROOT, env={**env, "CASEBOOK_DATA_DIR": str(data_dir)},
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def as_second_user(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root and runuser to act as a second OS user")
    return subprocess.run(
        ["runuser", "-u", SECOND_USER, "--", "env", *(f"{k}={v}" for k, v in (env or {}).items()), *command],
        capture_output=True, text=True, timeout=60, cwd="/",
    )  # fmt: skip


@dataclass(frozen=True)
class Metastore:
    data_dir: Path
    folder: Path
    port: int

    @property
    def password_file(self) -> Path:
        return self.data_dir / "secrets" / "metastore.password"

    def psql(
        self, sql: str, password: str | None, database: str = postgres.DATABASE, host: str = "127.0.0.1"
    ):
        command = [postgres._binary("psql"), "-w", "-h", host, "-p", str(self.port), "-U", postgres.USER,
                   "-d", database, "-tAc", sql]  # fmt: skip
        return as_second_user(command, {"PGPASSWORD": password} if password else {})


@pytest.fixture(scope="module")
def metastore() -> Iterator[Metastore]:
    # Not under pytest's tmp_path: the `postgres` and `nobody` users must reach the folders.
    parent = Path(tempfile.mkdtemp(prefix="casebook-locked-pg-"))
    parent.chmod(0o755)
    server = Metastore(parent / "data", parent / "cluster", free_port())
    started = casebook("metastore", "start", "--folder", str(server.folder), "--port", str(server.port),
                       data_dir=server.data_dir)  # fmt: skip
    assert started.returncode == 0, started.stdout + started.stderr
    yield server
    casebook("metastore", "stop", "--folder", str(server.folder), data_dir=server.data_dir)
    shutil.rmtree(parent, ignore_errors=True)


def _password(server: Metastore) -> str:
    """The role's password ("" when none was generated: then only a password-less server lets us in)."""
    return server.password_file.read_text().strip() if server.password_file.is_file() else ""


def test_the_metastore_password_is_generated_into_a_private_file(metastore: Metastore) -> None:
    assert len(_password(metastore)) >= 24
    assert stat.S_IMODE(metastore.password_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(metastore.password_file.parent.stat().st_mode) == 0o700


def test_a_second_os_user_cannot_connect_to_the_metastore_without_the_password(metastore: Metastore) -> None:
    over_tcp = metastore.psql("select 1", password=None)
    assert over_tcp.returncode != 0 and "password" in over_tcp.stderr, over_tcp.stdout + over_tcp.stderr
    wrong = metastore.psql("select 1", password="not-the-password")
    assert wrong.returncode != 0 and "password authentication failed" in wrong.stderr, wrong.stderr
    over_socket = metastore.psql("select 1", password=None, host=str(metastore.folder))
    assert over_socket.returncode != 0, over_socket.stdout


def test_the_metastore_role_cannot_run_programs_on_the_server(metastore: Metastore) -> None:
    copied = metastore.psql("copy (select 1) to program 'id'", password=_password(metastore))
    assert copied.returncode != 0, copied.stdout
    assert "must be superuser or have privileges of the pg_execute_server_program role" in copied.stderr


def test_the_metastore_role_has_least_privilege(metastore: Metastore) -> None:
    password = _password(metastore)
    role = metastore.psql(
        "select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user", password
    )
    assert role.stdout.strip() == "f|f|f", role.stdout + role.stderr
    owned = metastore.psql("select datname from pg_database where datdba = 'casebook'::regrole", password)
    assert owned.stdout.split() == [postgres.DATABASE], owned.stdout + owned.stderr
    other = metastore.psql("select 1", password, database="postgres")
    assert other.returncode != 0 and "permission denied" in other.stderr, other.stdout + other.stderr
    listening = metastore.psql("show listen_addresses", password)
    assert listening.stdout.strip() == "127.0.0.1", listening.stdout + listening.stderr


@dataclass(frozen=True)
class Served:
    data_dir: Path
    port: int

    @property
    def password(self) -> str:
        return (self.data_dir / "secrets" / "thrift.password").read_text().strip()

    def connect(self, **credentials: str) -> hive.Connection:
        return hive.connect(host="127.0.0.1", port=self.port, **credentials)

    def query(self, statement: str) -> list[tuple]:
        connection = self.connect(username="casebook", password=self.password, auth="CUSTOM")
        try:
            cursor = connection.cursor()
            cursor.execute(statement)
            return cursor.fetchall()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data_dir = tmp_path_factory.mktemp("served")
    port = free_port()
    started = casebook("serve", "--port", str(port), data_dir=data_dir)
    assert started.returncode == 0, started.stdout + started.stderr
    assert "password in" in started.stdout, started.stdout
    yield Served(data_dir, port)
    casebook("stop", data_dir=data_dir)


def test_the_thrift_server_accepts_the_generated_password(served: Served) -> None:
    password_file = served.data_dir / "secrets" / "thrift.password"
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert served.query("select 40 + 2") == [(42,)]


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "casebook", "password": "not-the-password", "auth": "CUSTOM"},
        {"username": "casebook"},  # PyHive's default: any user, no password
        {"username": "someone", "password": "", "auth": "CUSTOM"},
    ],
    ids=["wrong-password", "no-password", "empty-password"],
)
def test_the_thrift_server_refuses_other_credentials(served: Served, credentials: dict[str, str]) -> None:
    with pytest.raises(Exception, match="Error validating the login"):
        served.connect(**credentials).cursor().execute("select 1")


# The SASL PLAIN handshake HiveServer2 clients open with, in the system Python (the project's venv
# may not be readable by another user): START "PLAIN", then "\0user\0password"; the server answers
# COMPLETE (5) or BAD/ERROR (3/4) with its message.
SASL_PLAIN_PROBE = """
import socket, struct, sys
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with socket.create_connection(("127.0.0.1", port), timeout=60) as server:
    for status, payload in ((1, b"PLAIN"), (2, b"\\0" + user.encode() + b"\\0" + password.encode())):
        server.sendall(bytes([status]) + struct.pack(">I", len(payload)) + payload)
    answer = b""
    while len(answer) < 5 or len(answer) < 5 + struct.unpack(">I", answer[1:5])[0]:
        chunk = server.recv(4096)
        if not chunk:
            break
        answer += chunk
print(answer[0], answer[5:].decode(errors="replace"))
"""


def _sasl_login_as_second_user(served: Served, user: str, password: str) -> str:
    probe = as_second_user(["python3", "-c", SASL_PLAIN_PROBE, str(served.port), user, password])
    assert probe.returncode == 0, probe.stderr
    return probe.stdout.strip()


def test_the_thrift_server_refuses_a_second_os_user_without_the_password(served: Served) -> None:
    for user, password in (("nobody", ""), ("casebook", "x"), ("casebook", "guess")):
        answer = _sasl_login_as_second_user(served, user, password)
        assert answer.split()[0] in {"3", "4"} and "Error validating the login" in answer, answer
    # The same probe with the password gets in: the refusals above are the password check's.
    assert _sasl_login_as_second_user(served, "casebook", served.password).split()[0] == "5"


@pytest.mark.parametrize(
    "statement",
    [
        "select value from text.`/etc/hostname`",
        "set spark.sql.runSQLOnFiles=true",
        "select transform(1) using 'id' as (line string)",
        "create table leaked (value string) using text location '/etc'",
        "create table leaked_file using text options (path '/etc/hostname')",
        "select reflect('java.lang.System', 'getenv', 'HOME')",
        "select java_method('java.lang.System', 'getProperty', 'user.home')",
        "select try_reflect('java.lang.System', 'getProperty', 'user.home')",
        "select * from values (1) as t(n) where length(reflect('java.lang.System', 'getenv', 'HOME')) > n",
    ],
    ids=[
        "path-query",
        "re-enable-path-queries",
        "transform-program",
        "table-location",
        "path-option",
        "reflect-getenv",
        "java-method-property",
        "try-reflect",
        "reflect-in-a-filter",
    ],
)
def test_served_sessions_cannot_read_local_files_or_run_programs(served: Served, statement: str) -> None:
    with pytest.raises(Exception) as refused:
        served.query(statement)
    assert "TABLE_OR_VIEW_NOT_FOUND" in str(refused.value) or "Casebook Thrift server" in str(refused.value)
    # Whatever was refused, path queries stay off for the next statement too.
    with pytest.raises(Exception, match="TABLE_OR_VIEW_NOT_FOUND"):
        served.query("select value from text.`/etc/hostname`")


def test_served_sessions_still_build_tables_in_the_warehouse(served: Served) -> None:
    served.query("create database if not exists marts")
    served.query("create or replace table marts.served_probe using delta as select 7 as answer")
    assert served.query("select answer from marts.served_probe") == [(7,)]


def test_serve_refuses_a_host_beyond_loopback_without_allow_remote(tmp_path: Path) -> None:
    result = casebook(
        "serve", "--host", "0.0.0.0", "--port", str(free_port()), data_dir=tmp_path, timeout=300
    )
    try:
        assert result.returncode == 2, result.stdout + result.stderr
        assert "--allow-remote" in result.stderr and "0.0.0.0" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    finally:
        casebook("stop", data_dir=tmp_path)
