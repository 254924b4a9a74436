"""`casebook bi start|stop`: Apache Superset over the running Thrift server, with the dashboards of bi/.

Superset lives in its own virtualenv (.venv-bi, `make bi`; its pins conflict with the project's). Its
metadata is a SQLite database under data/superset/ (0700); its SECRET_KEY and the admin's password are
generated into 0600 files under data/secrets/ (or come from $CASEBOOK_BI_SECRET_KEY and
$CASEBOOK_BI_ADMIN_PASSWORD). It binds to 127.0.0.1 and reads the warehouse only through the Thrift
server of `casebook serve`, as user `casebook` with that server's generated password. Every start
imports the dashboards under bi/ (Superset's export format, YAML), zipped on the fly.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from casebook import paths
from casebook.engine import processes, secrets

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8088
ADMIN_USER = "admin"
SECRET_KEY_ENV = "CASEBOOK_BI_SECRET_KEY"
ADMIN_PASSWORD_ENV = "CASEBOOK_BI_ADMIN_PASSWORD"
VENV_ENV = "CASEBOOK_BI_VENV"
DATABASE_FILE = "databases/casebook.yaml"
# The Thrift server's address in the bundle, replaced by the running server's at import time.
BUNDLE_THRIFT_ADDRESS = "127.0.0.1:10000"
SIDE_SCRIPT = Path(__file__).with_name("superset_side.py")


class SupersetError(RuntimeError):
    """Raised when Superset cannot start or stop."""


@dataclass(frozen=True)
class RunningSuperset:
    pid: int
    host: str
    port: int
    log: Path
    password_file: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def superset_dir(root: Path | None = None) -> Path:
    return paths.data_dir(root) / "superset"


def secret_key_file(root: Path | None = None) -> Path:
    return secrets.secrets_dir(root) / "superset.secret_key"


def admin_password_file(root: Path | None = None) -> Path:
    return secrets.secrets_dir(root) / "superset.admin.password"


def admin_password(root: Path | None = None, create: bool = False) -> str | None:
    return secrets.password(ADMIN_PASSWORD_ENV, admin_password_file(root), create)


def venv(root: Path) -> Path:
    configured = os.environ.get(VENV_ENV)
    return Path(configured) if configured else root / ".venv-bi"


def bundle_dir(root: Path) -> Path:
    return root / "bi"


def _state_file(root: Path | None = None) -> Path:
    return superset_dir(root) / "server.json"


def running(root: Path | None = None) -> RunningSuperset | None:
    """The Superset this project started, if it is still alive."""
    state = _state_file(root)
    if not state.is_file():
        return None
    fields = json.loads(state.read_text())
    server = RunningSuperset(
        fields["pid"], fields["host"], fields["port"], Path(fields["log"]), Path(fields["password_file"])
    )
    try:
        os.kill(server.pid, 0)
    except ProcessLookupError:
        state.unlink(missing_ok=True)
        return None
    return server


def bundle(root: Path, thrift_host: str, thrift_port: int, output: Path) -> Path:
    """Zip bi/ into an import bundle whose database points at the running Thrift server."""
    source = bundle_dir(root)
    if not (source / "metadata.yaml").is_file():
        raise SupersetError(f"{source}/metadata.yaml is missing: bi/ must hold a Superset export (YAML).")
    with zipfile.ZipFile(output, "w") as archive:
        for path in sorted(source.rglob("*.yaml")):
            text = path.read_text()
            if path.relative_to(source).as_posix() == DATABASE_FILE:
                text = text.replace(BUNDLE_THRIFT_ADDRESS, f"{thrift_host}:{thrift_port}")
            archive.writestr(f"casebook/{path.relative_to(source).as_posix()}", text)
    return output


def config_text(root: Path) -> str:
    """superset_config.py: metadata in SQLite under data/superset, secrets read from their files."""
    folder = superset_dir(root)
    return f"""# Written by `casebook bi start`; holds no secret (they are read from their 0600 files).
import os
from pathlib import Path


def _secret(env, path):
    return os.environ.get(env) or Path(path).read_text().strip()


SECRET_KEY = _secret({SECRET_KEY_ENV!r}, {str(secret_key_file(root))!r})
SQLALCHEMY_DATABASE_URI = "sqlite:///" + {str(folder / "superset.db")!r}
DATA_DIR = {str(folder)!r}
SQLLAB_CTAS_NO_LIMIT = False
# Every chart of a dashboard renders at once (no virtualization), so a screenshot shows them all.
FEATURE_FLAGS = {{"DASHBOARD_VIRTUALIZATION": False}}
# Dashboards read marts through the Thrift server; nothing is cached, so a refresh reads the warehouse.
CACHE_CONFIG = {{"CACHE_TYPE": "NullCache"}}
DATA_CACHE_CONFIG = {{"CACHE_TYPE": "NullCache"}}
# Queries go to Spark through the Thrift server; on a busy laptop a chart may take more than a minute.
SUPERSET_WEBSERVER_TIMEOUT = 300
SQLLAB_TIMEOUT = 300
RATELIMIT_STORAGE_URI = "memory://"
PREVENT_UNSAFE_DB_CONNECTIONS = True
WTF_CSRF_ENABLED = True
TALISMAN_ENABLED = True
SESSION_COOKIE_SAMESITE = "Lax"
"""


def _accepts_connections(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def _environment(root: Path, thrift_password: str) -> dict[str, str]:
    folder = superset_dir(root)
    return {
        **os.environ,
        "SUPERSET_CONFIG_PATH": str(folder / "superset_config.py"),
        "SUPERSET_HOME": str(folder),
        "FLASK_APP": "superset.app:create_app()",
        "CASEBOOK_BI_ADMIN_PASSWORD": admin_password(root, create=True) or "",
        "CASEBOOK_BI_THRIFT_PASSWORD": thrift_password,
        "PYTHONWARNINGS": "ignore",
    }


def _run_step(command: list[str], env: dict[str, str], log: Path, what: str) -> None:
    with log.open("a") as output:
        output.write(f"\n$ {' '.join(command)}\n")
        output.flush()
        result = subprocess.run(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise SupersetError(
            f"Superset could not {what} (exit {result.returncode}); the end of {log}:\n{tail}"
        )


def _check_preconditions(root: Path, host: str, port: int):
    from casebook.engine import thrift

    current = running(root)
    if current:
        raise SupersetError(
            f"Superset of this project already runs (pid {current.pid}) on {current.url}; "
            "`casebook bi stop` stops it."
        )
    served = thrift.running(root)
    if served is None:
        raise SupersetError(
            "No Thrift server of this project runs, and Superset reads the warehouse through it: "
            "start it with `casebook serve` (or `make serve`), then `casebook bi start`."
        )
    if not (venv(root) / "bin" / "superset").is_file():
        raise SupersetError(
            f"Superset is not installed in {venv(root)}: run `make bi` (it creates that virtualenv)."
        )
    if _accepts_connections(host, port):
        raise SupersetError(f"Port {port} on {host} is taken by another program; pick --port.")
    return served


def start(
    host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, timeout_seconds: float = 600
) -> RunningSuperset:
    """Start Superset on loopback, import bi/'s dashboards, return once it answers."""
    root = paths.project_root()
    served = _check_preconditions(root, host, port)
    thrift_password = secrets.thrift_password(root)
    if not thrift_password:
        raise SupersetError(
            f"The Thrift server's password file {secrets.thrift_password_file(root)} is missing."
        )
    folder = superset_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    secrets.password(SECRET_KEY_ENV, secret_key_file(root), create=True)
    secrets.write_private(folder / "superset_config.py", config_text(root))
    log = folder / "superset.log"
    log.write_text("")
    env = _environment(root, thrift_password)
    bin_dir = venv(root) / "bin"
    _metadata_database(root, bin_dir, env, log)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        archive = bundle(root, served.host, served.port, Path(scratch) / "dashboards.zip")
        command = [str(bin_dir / "python"), str(SIDE_SCRIPT), str(archive), DATABASE_FILE]
        _run_step(command, env, log, "import the dashboards of bi/")
    process = _spawn(bin_dir, host, port, env, log)
    server = RunningSuperset(process.pid, host, port, log, admin_password_file(root))
    fields = {**server.__dict__, "log": str(log), "password_file": str(server.password_file)}
    _state_file(root).write_text(json.dumps(fields))
    _wait_until_ready(process, server, timeout_seconds, root)
    return server


def _schema_key(root: Path) -> str:
    """The pinned install: a metadata database made by one install fits every clone with the same pins."""
    return hashlib.sha256((bundle_dir(root) / "requirements.txt").read_bytes()).hexdigest()[:16]


def template_file(key: str) -> Path:
    """A migrated, initialised, empty metadata database, cached per pinned install (as Delta's jars are):
    creating one takes minutes on a small machine, copying it a moment."""
    configured = os.environ.get("CASEBOOK_CACHE_DIR")
    cache = Path(configured) if configured else Path.home() / ".cache" / "casebook"
    return cache / "superset" / f"metadata-{key}.db"


def _metadata_database(root: Path, bin_dir: Path, env: dict[str, str], log: Path) -> None:
    """data/superset/superset.db at the schema of the installed Superset, with its roles."""
    database = superset_dir(root) / "superset.db"
    stamp = superset_dir(root) / "schema.key"
    key = _schema_key(root)
    if database.is_file() and stamp.is_file() and stamp.read_text().strip() == key:
        return
    template = template_file(key)
    fresh = not database.is_file()
    if fresh and template.is_file():
        _copy_atomically(template, database)
    else:
        _run_step([str(bin_dir / "superset"), "db", "upgrade"], env, log, "create its metadata database")
        _run_step([str(bin_dir / "superset"), "init"], env, log, "set up its roles")
        if fresh:
            template.parent.mkdir(parents=True, exist_ok=True)
            _copy_atomically(database, template)
    stamp.write_text(key + "\n")


def _copy_atomically(source: Path, target: Path) -> None:
    partial = target.with_name(f".{target.name}.part")
    shutil.copyfile(source, partial)
    partial.chmod(0o600)
    partial.replace(target)


def _spawn(bin_dir: Path, host: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [
        str(bin_dir / "gunicorn"), "--bind", f"{host}:{port}", "--workers", "1", "--threads", "8",
        "--worker-class", "gthread", "--timeout", "300", "--limit-request-line", "0",
        "--limit-request-field_size", "0", "superset.app:create_app()",
    ]  # fmt: skip
    with log.open("a") as output:
        return subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip


def _healthy(server: RunningSuperset) -> bool:
    try:
        with urllib.request.urlopen(f"{server.url}/health", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_until_ready(process: subprocess.Popen, server: RunningSuperset, timeout: float, root: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _state_file(root).unlink(missing_ok=True)
            tail = "\n".join(server.log.read_text(errors="replace").splitlines()[-15:])
            raise SupersetError(f"Superset exited while starting; the end of {server.log}:\n{tail}")
        if _healthy(server):
            return
        time.sleep(1)
    stop(root)
    raise SupersetError(f"Superset did not answer on {server.url} in {timeout:.0f} s; see {server.log}.")


def stop(root: Path | None = None, timeout_seconds: float = 60) -> RunningSuperset | None:
    """Stop this project's Superset (its whole process group); None when none was running."""
    server = running(root)
    if server is None:
        return None
    processes.end_group(server.pid, timeout_seconds)
    _state_file(root).unlink(missing_ok=True)
    return server
