"""The real Citi Bike files through `casebook data ingest` and `dbt build`: the shared folder's two
periods are refused, and station 301's August 2015 bake-off reproduces docs/stations.md.

The files are ingested into the shared tiny warehouse and its stations models rebuilt from nothing
(--full-refresh) in this process, warm; so the module runs after every other test on the shared
warehouse (marker changes_shared_warehouse)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pytests.conftest import REPO_ROOT, VENV_BIN, require_real_data
from pytests.integration.conftest import Warehouse

pytestmark = [pytest.mark.integration, pytest.mark.real_data, pytest.mark.changes_shared_warehouse]

STATION_301 = "citibike_trips_station301_2015-08.csv"
# docs/stations.md, "Station 301, August 2015": RMSE (trips/hour) and MAPE % per model
DOCS_SCORES = {
    "prophet": (4.391, 79.9),
    "random_forest": (4.393, 73.2),
    "random_forest_weather": (4.508, 75.8),
    "prophet_weather": (4.639, 71.9),
}


def _ingest(path: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "casebook"), "data", "ingest", "citibike", str(path)],
        env={**os.environ, "CASEBOOK_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )


@pytest.fixture(scope="module")
def station_301(warehouse: Warehouse, read_delta):
    folder = require_real_data("citibike")
    data_dir = warehouse.data_dir
    refused = _ingest(folder, data_dir)
    ingested = _ingest(folder / STATION_301, data_dir)
    assert ingested.returncode == 0, ingested.stderr
    warehouse.dbt_succeeds("build", "--full-refresh", "--select", "path:models/staging/stations+")
    marts = data_dir / "warehouse" / "marts.db"
    return {"refused": refused, "read": lambda table: read_delta(marts / table)}


def test_the_shared_folder_mixes_two_periods_and_is_refused(station_301) -> None:
    refused = station_301["refused"]
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "Trip files of different periods" in refused.stderr


def test_station_301_reproduces_the_docs_figures(station_301) -> None:
    (row,) = station_301["read"]("fct_stations_bakeoff").itertuples()
    assert row.station_id == "301" and row.is_scored and not row.is_tie
    assert row.history_hours == 707 and row.horizon_actual_trips == 236
    assert str(row.forecast_start_ts) == "2015-08-30 12:00:00"
    for model_name, (rmse, mape_pct) in DOCS_SCORES.items():
        assert round(getattr(row, f"{model_name}_rmse"), 3) == rmse
        assert round(getattr(row, f"{model_name}_mape_pct"), 1) == mape_pct
    assert row.winning_model_name == "prophet"
    summary = station_301["read"]("fct_stations_model_summary").set_index("model_name")
    assert summary["station_count"].eq(1).all()
    assert summary["win_count"].to_dict() == {name: int(name == "prophet") for name in DOCS_SCORES}
