"""MLflow tracking for every Casebook domain: one store per data folder, experiments with artifact roots.

Unless MLFLOW_TRACKING_URI is set, runs go to a SQLite database at <data dir>/mlflow/mlflow.db
(casebook.paths.mlflow_dir(), so CASEBOOK_DATA_DIR moves it) and each experiment keeps its artifacts
under <data dir>/mlflow/artifacts/<experiment name>. (MLflow 3 refuses its plain file store unless told
otherwise; SQLite needs no server.) Browse the runs with the MLflow UI:

    mlflow ui --backend-store-uri sqlite:///data/mlflow/mlflow.db

    from casebook.tracking import start_run
    with start_run("casebook-forecasting", run_name="store-1") as run:
        mlflow.log_param("horizon_days", 90)
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from casebook.paths import mlflow_dir

if TYPE_CHECKING:
    import mlflow

# Casebook works offline: MLflow's usage telemetry stays off unless the user turns it on, and artifact
# downloads do not draw progress bars into dbt's log.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")

DATABASE_FILE = "mlflow.db"
ARTIFACTS_FOLDER = "artifacts"
_ENV_URI = "MLFLOW_TRACKING_URI"
# Creating the SQLite schema or an experiment twice at once fails: dbt runs models in threads.
_store_lock = threading.Lock()


def tracking_uri() -> str:
    """$MLFLOW_TRACKING_URI when set, else Casebook's SQLite store in the data folder (created if needed)."""
    configured = os.environ.get(_ENV_URI)
    if configured:
        return configured
    folder = mlflow_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DATABASE_FILE}"


def artifact_root() -> Path:
    """Where Casebook's own store keeps run artifacts: <data dir>/mlflow/artifacts."""
    return mlflow_dir() / ARTIFACTS_FOLDER


def _artifact_location(name: str) -> str | None:
    """An experiment's artifact URI in Casebook's store; None (the server decides) for an external store."""
    if os.environ.get(_ENV_URI):
        return None
    folder = artifact_root() / re.sub(r"[^A-Za-z0-9._-]+", "_", name)
    return folder.resolve().as_uri()


def client() -> mlflow.MlflowClient:
    """An MlflowClient on tracking_uri()."""
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri())


def experiment(name: str) -> str:
    """The id of the experiment called `name`, created (with its artifact location) when missing."""
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import RESOURCE_ALREADY_EXISTS, ErrorCode

    tracker = client()
    with _store_lock:
        found = tracker.get_experiment_by_name(name)
        if found is not None:
            return found.experiment_id
        try:
            return tracker.create_experiment(name, artifact_location=_artifact_location(name))
        except MlflowException as error:  # another process created it first
            if error.error_code != ErrorCode.Name(RESOURCE_ALREADY_EXISTS):
                raise
            return tracker.get_experiment_by_name(name).experiment_id


@contextmanager
def using_store() -> Iterator[str]:
    """Point MLflow's fluent API (mlflow.log_*, mlflow.pyfunc.load_model("runs:/...")) at tracking_uri().

    mlflow.set_tracking_uri also exports MLFLOW_TRACKING_URI; the previous value is put back on exit, so
    a later call with another CASEBOOK_DATA_DIR in the same process finds its own store.
    """
    import mlflow

    before = os.environ.get(_ENV_URI)
    uri = tracking_uri()
    mlflow.set_tracking_uri(uri)
    try:
        yield uri
    finally:
        mlflow.set_tracking_uri(before)


@contextmanager
def start_run(
    experiment_name: str, run_name: str | None = None, tags: dict[str, str] | None = None
) -> Iterator[mlflow.ActiveRun]:
    """Start an MLflow run in `experiment_name` on Casebook's store; it ends (FAILED on error) on exit."""
    import mlflow

    experiment_id = experiment(experiment_name)
    try:
        with (
            using_store(),
            mlflow.start_run(experiment_id=experiment_id, run_name=run_name, tags=tags) as run,
        ):
            yield run
    finally:
        _keep_private(artifact_root())


def _keep_private(folder: Path) -> None:
    """Take group and other permissions off the artifacts: MLflow copies a model's code files with
    their source's mode (0644), while data/ is private."""
    if not folder.is_dir():
        return
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink() and path.stat().st_mode & 0o077:
            path.chmod(path.stat().st_mode & 0o7700)
