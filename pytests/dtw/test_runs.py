"""One MLflow run per stretch factor: parameters, the median metric, outlier CSV, histogram PNG, model."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from casebook.dtw.capacity import capacity_pattern
from casebook.dtw.runs import (
    HISTOGRAM_FILE,
    histogram_figure,
    log_stretch_runs,
    outliers_file,
    stretch_summary,
)
from casebook.dtw.trends import add_zscores

PATTERN = capacity_pattern()["capacity_units"].to_numpy()


def _distances() -> pd.DataFrame:
    frames = []
    for stretch_factor, window, offset in ((0.0, 0, 2.0), (0.5, 26, 1.0)):
        distances = pd.DataFrame(
            {
                "product_code": [f"P{i}" for i in range(12)],
                "stretch_factor": stretch_factor,
                "window_weeks": window,
                "dtw_distance": [offset + 0.1 * i for i in range(11)] + [offset + 5.0],
            }
        )
        frames.append(add_zscores(distances, outlier_abs_zscore=2.0))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("runs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEBOOK_DATA_DIR", str(folder))
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        yield folder


def test_stretch_summary_gives_median_and_outlier_count_per_stretch_factor() -> None:
    summary = stretch_summary(_distances()).set_index("stretch_factor")
    assert summary.loc[0.0, "median_dtw_distance"] == pytest.approx(2.55)
    assert summary.loc[0.5, "median_dtw_distance"] == pytest.approx(1.55)
    assert summary["outlier_count"].tolist() == [1, 1]
    assert summary["product_count"].tolist() == [12, 12]
    assert summary.loc[0.5, "stddev_dtw_distance"] == pytest.approx(np.std(_distances()["dtw_distance"][12:]))


def test_histogram_is_drawn_without_a_display() -> None:
    figure = histogram_figure(pd.Series([1.0, 2.0, 2.5, 4.0]), 0.05)
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_log_stretch_runs_logs_one_run_per_stretch_factor(data_dir: Path) -> None:
    from casebook.tracking import client

    runs = log_stretch_runs(
        _distances(), PATTERN, outlier_abs_zscore=2.0, experiment_name="casebook-test-runs"
    )
    assert runs["stretch_factor"].tolist() == [0.0, 0.5]
    tracker = client()
    for _, row in runs.iterrows():
        run = tracker.get_run(row["mlflow_run_id"])
        assert float(run.data.params["stretch_factor"]) == row["stretch_factor"]
        assert run.data.metrics["median_dtw_distance"] == pytest.approx(row["median_dtw_distance"])
        artifacts = {item.path for item in tracker.list_artifacts(row["mlflow_run_id"])}
        assert {HISTOGRAM_FILE, outliers_file(row["stretch_factor"])} <= artifacts
        outliers = pd.read_csv(
            tracker.download_artifacts(row["mlflow_run_id"], outliers_file(row["stretch_factor"]))
        )
        assert outliers["product_code"].tolist() == ["P11"]
        assert row["model_uri"] == f"runs:/{row['mlflow_run_id']}/model"
