"""Generated passwords of Casebook's services, each in a 0600 file under data/secrets/ (0700).

A password comes from its environment variable when set, else from its file, which is created with a
fresh random value on first use. Files are written beside and renamed into place, never half-written.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from casebook import paths

METASTORE_PASSWORD_ENV = "CASEBOOK_METASTORE_PASSWORD"
THRIFT_PASSWORD_ENV = "CASEBOOK_THRIFT_PASSWORD"


def secrets_dir(root: Path | None = None) -> Path:
    return paths.data_dir(root) / "secrets"


def metastore_password_file(root: Path | None = None) -> Path:
    return secrets_dir(root) / "metastore.password"


def thrift_password_file(root: Path | None = None) -> Path:
    return secrets_dir(root) / "thrift.password"


def write_private(path: Path, text: str) -> Path:
    """Write `text` to `path` readable by its owner only (0600, folder 0700), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    partial = path.with_name(f".{path.name}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as output:
        output.write(text)
    partial.rename(path)
    return path


def password(env: str, file: Path, create: bool = True) -> str | None:
    """$env, else the content of `file`, else (when `create`) a new random password saved to `file`."""
    configured = os.environ.get(env)
    if configured:
        return configured
    if file.is_file():
        return file.read_text().strip()
    if not create:
        return None
    generated = secrets.token_urlsafe(24)
    write_private(file, generated + "\n")
    return generated


def metastore_password(root: Path | None = None, create: bool = False) -> str | None:
    return password(METASTORE_PASSWORD_ENV, metastore_password_file(root), create)


def thrift_password(root: Path | None = None, create: bool = False) -> str | None:
    return password(THRIFT_PASSWORD_ENV, thrift_password_file(root), create)
