"""Where Casebook keeps its files: every path is resolved against the project root, never the cwd."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_FILE = "dbt_project.yml"
PRIVATE_DIR_MODE = 0o700
PRIVATE_UMASK = 0o077


class ProjectNotFoundError(RuntimeError):
    """Raised when no Casebook project can be found from the current directory."""


def project_root(start: Path | None = None) -> Path:
    """The folder holding dbt_project.yml: $CASEBOOK_PROJECT_DIR, else the nearest parent of `start`."""
    configured = os.environ.get("CASEBOOK_PROJECT_DIR") or os.environ.get("DBT_PROJECT_DIR")
    if configured:
        return Path(configured).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise ProjectNotFoundError(
        f"No {PROJECT_FILE} found in {here} or its parents: run Casebook from inside the project "
        "or set CASEBOOK_PROJECT_DIR to the project folder."
    )


def _under_root(value: str | None, default: str, root: Path) -> Path:
    path = Path(value) if value else Path(default)
    return path if path.is_absolute() else (root / path).resolve()


def data_dir(root: Path | None = None) -> Path:
    """Everything generated lives here (git-ignored): $CASEBOOK_DATA_DIR, default <root>/data.

    Private by default: the folder is created 0700, and this process writes new files 0600 (umask 077).
    """
    root = root or project_root()
    folder = _under_root(os.environ.get("CASEBOOK_DATA_DIR"), "data", root)
    private_umask()
    if not folder.exists():
        folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        folder.chmod(PRIVATE_DIR_MODE)
    return folder


def private_umask() -> None:
    """New files of this process are readable by its user only (0600 files, 0700 folders)."""
    os.umask(PRIVATE_UMASK)


def raw_dir(root: Path | None = None) -> Path:
    """The lake: raw Parquet files, one folder per domain and table."""
    return data_dir(root) / "raw"


def warehouse_dir(root: Path | None = None) -> Path:
    """Spark's warehouse: the Delta tables dbt builds."""
    return data_dir(root) / "warehouse"


def metastore_dir(root: Path | None = None) -> Path:
    """The embedded Derby metastore and its log."""
    return data_dir(root) / "metastore"


def mlflow_dir(root: Path | None = None) -> Path:
    """The MLflow tracking database and artifacts."""
    return data_dir(root) / "mlflow"
