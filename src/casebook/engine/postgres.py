"""A local PostgreSQL server that holds a shared metastore: initdb once, start, stop.

Debian's `postgresql` package provides the binaries (/usr/lib/postgresql/<version>/bin). PostgreSQL
refuses to run as root, so when Casebook runs as root the server runs as the `postgres` user, and
its folder must be reachable by that user (e.g. under /tmp or a world-readable project path).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 5432
DATABASE = "casebook_metastore"
USER = "casebook"
_SERVICE_USER = "postgres"


class PostgresError(RuntimeError):
    """Raised when the local PostgreSQL server cannot be set up or started."""


@dataclass(frozen=True)
class PostgresServer:
    folder: Path
    port: int

    @property
    def jdbc_url(self) -> str:
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


def _prepare_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, _SERVICE_USER, _SERVICE_USER)
        folder.chmod(0o700)


def start(folder: Path, port: int = DEFAULT_PORT) -> PostgresServer:
    """Start (creating on first use) a server in `folder` on 127.0.0.1:port with the metastore database."""
    server = PostgresServer(folder=folder, port=port)
    if not (folder / "PG_VERSION").is_file():
        _prepare_folder(folder)
        _run([_binary("initdb"), "-D", str(folder), "-U", USER, "--auth=trust"], f"initdb in {folder}")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    log = folder / "server.log"
    _run([_binary("pg_ctl"), "-D", str(folder), "-l", str(log), "-o", options, "-w", "start"], "pg_ctl start")
    exists = subprocess.run(
        [_binary("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, "-d", "postgres", "-tAc",
         f"select 1 from pg_database where datname = '{DATABASE}'"],
        capture_output=True, text=True,
    )  # fmt: skip
    if exists.stdout.strip() != "1":
        _run([_binary("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE], "createdb")
    return server


def stop(folder: Path) -> None:
    """Stop the server running in `folder` (fast shutdown); nothing to do when none runs."""
    if (folder / "postmaster.pid").is_file():
        _run([_binary("pg_ctl"), "-D", str(folder), "-m", "fast", "-w", "stop"], "pg_ctl stop")
