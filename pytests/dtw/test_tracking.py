"""casebook.tracking: one SQLite store per data folder, experiments with artifact roots, and the DTW
pyfunc model logged in a run and loaded back by its run id."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from casebook.dtw.capacity import capacity_pattern
from casebook.dtw.distance import dtw_distance
from casebook.dtw.pyfunc import MODEL_NAME, log_dtw_model
from casebook.tracking import artifact_root, experiment, start_run, tracking_uri, using_store

PATTERN = capacity_pattern()["capacity_units"].tolist()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("tracking")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEBOOK_DATA_DIR", str(folder))
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        yield folder


def test_tracking_uri_is_a_sqlite_file_in_the_data_folder(data_dir: Path) -> None:
    assert tracking_uri() == f"sqlite:///{data_dir / 'mlflow' / 'mlflow.db'}"
    assert artifact_root() == data_dir / "mlflow" / "artifacts"


def test_tracking_uri_follows_mlflow_tracking_uri_when_set(data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000")
    assert tracking_uri() == "http://127.0.0.1:5000"


def test_experiment_is_created_once_with_its_artifact_location(data_dir: Path) -> None:
    from casebook.tracking import client

    first = experiment("casebook-test/one")
    assert experiment("casebook-test/one") == first
    location = client().get_experiment(first).artifact_location
    assert location == (data_dir / "mlflow" / "artifacts" / "casebook-test_one").as_uri()


def test_pyfunc_model_round_trips_by_run_id_and_the_store_is_left_as_found(data_dir: Path) -> None:
    import mlflow

    with start_run("casebook-test-dtw", run_name="round-trip") as run:
        mlflow.log_param("stretch_factor", 0.1)
        log_dtw_model(PATTERN, 0.1)
    assert "MLFLOW_TRACKING_URI" not in os.environ

    new_product = [float((week * 5) % 9) for week in range(52)]
    frame = pd.DataFrame({"product_code": ["NEW"], **{f"W{w}": [new_product[w]] for w in range(52)}})
    with using_store():
        model = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/{MODEL_NAME}")
        prediction = model.predict(frame)
    assert prediction["product_code"].tolist() == ["NEW"]
    assert prediction["window_weeks"].tolist() == [6]
    assert prediction["dtw_distance"].tolist() == pytest.approx([dtw_distance(new_product, PATTERN, 6)])
    run_artifacts = Path(mlflow.MlflowClient(tracking_uri()).get_run(run.info.run_id).info.artifact_uri[7:])
    assert run_artifacts.is_relative_to(data_dir / "mlflow" / "artifacts")
