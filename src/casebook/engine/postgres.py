"""A local PostgreSQL server that holds a shared metastore: initdb once, start, stop.

Debian's `postgresql` package provides the binaries (/usr/lib/postgresql/<version>/bin). PostgreSQL
refuses to run as root, so when Casebook runs as root the server runs as the `postgres` user, and
its folder must be reachable by that user (e.g. under /tmp or a world-readable project path).

The server starts locked: every connection (Unix socket and TCP) needs a scram-sha-256 password, it
listens on 127.0.0.1 only, and the metastore role `casebook` is an ordinary role (no superuser, no
CREATEROLE, no CREATEDB) that owns the metastore database and nothing else. The bootstrap superuser
`casebook_admin` has its own generated password, kept in a 0600 file inside the server's folder.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 5432
DATABASE = "casebook_metastore"
USER = "casebook"
ADMIN = "casebook_admin"
ADMIN_PASSWORD_FILE = "casebook_admin.password"
_SERVICE_USER = "postgres"


class PostgresError(RuntimeError):
    """Raised when the local PostgreSQL server cannot be set up or started."""


@dataclass(frozen=True)
class PostgresServer:
    folder: Path
    port: int

    @property
    def jdbc_url(self) -> str:
        """The metastore's JDBC URL, without the password (Casebook reads that from its own file)."""
        return f"jdbc:postgresql://127.0.0.1:{self.port}/{DATABASE}?user={USER}"


def _binary(name: str) -> str:
    debian = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))  # newest version last
    found = shutil.which(name) or (debian[-1] if debian else None)
    if not found:
        raise PostgresError(
            f"PostgreSQL's {name} was not found: install it (Debian: `apt-get install postgresql`)."
        )
    return found


def _as_service_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", _SERVICE_USER, "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(_as_service_user(command), capture_output=True, text=True)
    if result.returncode != 0:
        raise PostgresError(f"{what} failed: {(result.stderr or result.stdout).strip()[-2000:]}")


def _give_to_service_user(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, _SERVICE_USER, _SERVICE_USER)


def _prepare_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _give_to_service_user(folder)
    folder.chmod(0o700)


def _initdb(folder: Path) -> None:
    """A new cluster whose every connection needs a password; the admin's is saved in the folder."""
    _prepare_folder(folder)
    admin_password = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="casebook-initdb-") as scratch:
        pwfile = Path(scratch) / "pwfile"
        pwfile.write_text(admin_password + "\n")
        pwfile.chmod(0o600)
        _give_to_service_user(Path(scratch))
        _give_to_service_user(pwfile)
        command = [_binary("initdb"), "-D", str(folder), "-U", ADMIN, "--auth=scram-sha-256"]
        _run([*command, f"--pwfile={pwfile}"], f"initdb in {folder}")
    admin_file = folder / ADMIN_PASSWORD_FILE
    descriptor = os.open(admin_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as output:
        output.write(admin_password + "\n")
    _give_to_service_user(admin_file)


def _admin_password(folder: Path) -> str:
    admin_file = folder / ADMIN_PASSWORD_FILE
    if not admin_file.is_file():
        raise PostgresError(
            f"PostgreSQL in {folder} was created by an older Casebook without passwords (any local user "
            f"could connect as a superuser): stop it with `casebook metastore stop`, move {folder} away, "
            "run `casebook metastore start` again and rebuild with `dbt build --target shared`."
        )
    return admin_file.read_text().strip()


def _psql_as_admin(folder: Path, port: int, database: str, script: str) -> str:
    """Run `script` (from stdin, so no password is on a command line) as the admin; its output."""
    command = [_binary("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", ADMIN, "-d", database]
    env = {**os.environ, "PGPASSWORD": _admin_password(folder), "PGCONNECT_TIMEOUT": "10"}
    result = subprocess.run(
        [*command, "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-f", "-"],
        input=script, capture_output=True, text=True, env=env,
    )  # fmt: skip
    if result.returncode != 0:
        raise PostgresError(f"Setting up the metastore role failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ensure_role_and_database(folder: Path, port: int, password: str) -> None:
    """The `casebook` role with `password`, least privilege, owning only the metastore database."""
    _psql_as_admin(folder, port, "postgres", (
        f"select 'create role {USER}' "
        f"where not exists (select from pg_roles where rolname = '{USER}')\\gexec\n"
        f"alter role {USER} with login nosuperuser nocreaterole nocreatedb noreplication nobypassrls "
        f"password {_quoted(password)};\n"
        f"select 'create database {DATABASE} owner {USER}' "
        f"where not exists (select from pg_database where datname = '{DATABASE}')\\gexec\n"
        f"alter database {DATABASE} owner to {USER};\n"
        f"revoke all on database {DATABASE} from public;\n"
        "revoke connect on database postgres from public;\n"
        "revoke connect on database template1 from public;\n"
    ))  # fmt: skip


def start(folder: Path, password: str, port: int = DEFAULT_PORT) -> PostgresServer:
    """Start (creating on first use) a server in `folder` on 127.0.0.1:port with the metastore database,
    its role `casebook` logging in with `password`."""
    server = PostgresServer(folder=folder, port=port)
    if not (folder / "PG_VERSION").is_file():
        _initdb(folder)
    _admin_password(folder)  # refuse a password-less cluster of an older Casebook before starting it
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c password_encryption=scram-sha-256"
    log = folder / "server.log"
    if not _running(folder):
        _run(
            [_binary("pg_ctl"), "-D", str(folder), "-l", str(log), "-o", options, "-w", "start"],
            "pg_ctl start",
        )
    _ensure_role_and_database(folder, port, password)
    return server


def _running(folder: Path) -> bool:
    status = subprocess.run(
        _as_service_user([_binary("pg_ctl"), "-D", str(folder), "status"]), capture_output=True
    )
    return status.returncode == 0


def stop(folder: Path) -> None:
    """Stop the server running in `folder` (fast shutdown); nothing to do when none runs."""
    if (folder / "postmaster.pid").is_file():
        _run([_binary("pg_ctl"), "-D", str(folder), "-m", "fast", "-w", "stop"], "pg_ctl stop")
