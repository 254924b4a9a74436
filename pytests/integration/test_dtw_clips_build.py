"""Chapter 3's speech clips in the tiny warehouse, and `casebook sql --file` on the chapter's analysis.

The session's `dbt build` (conftest) lands the clips (espeak-ng) and builds fct_dtw_clip_distances.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from dbt.cli.main import dbtRunnerResult

from casebook import cli
from casebook.dtw import clips
from casebook.dtw.settings import DtwSettings
from casebook.settings import from_project
from pytests.conftest import REPO_ROOT
from pytests.dtw.clip_reference import oracle_dtw, oracle_euclidean
from pytests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration

SETTINGS = from_project(DtwSettings)
ANALYSIS = REPO_ROOT / "analyses" / "chapter_03__dtw_speech_clips.sql"


@pytest.fixture(scope="module")
def mart(spark, first_build: dbtRunnerResult) -> pd.DataFrame:
    return spark.table("marts.fct_dtw_clip_distances").toPandas().set_index("clip_id").sort_index()


@pytest.fixture(scope="module")
def landed(warehouse: Warehouse) -> pd.DataFrame:
    return pd.read_parquet(warehouse.data_dir / "raw" / "dtw" / "speech_clips")


def test_the_mart_orders_the_clips_as_the_book_does(mart: pd.DataFrame) -> None:
    assert mart.index.tolist() == [1, 2, 3, 4]
    for column in ("exact_dtw_distance", "fastdtw_distance"):
        assert mart.loc[4, column] < mart.loc[3, column] < mart.loc[2, column]
    assert mart["exact_dtw_rank"].to_dict() == {1: 0, 2: 3, 3: 2, 4: 1}


def test_the_mart_distances_match_the_oracles_on_the_landed_clips(
    mart: pd.DataFrame, landed: pd.DataFrame
) -> None:
    series = {
        int(row.clip_id): clips.clip_series(row.wav, SETTINGS.clip_frame_ms)[0] for row in landed.itertuples()
    }
    for clip_id in (2, 3, 4):
        row = mart.loc[clip_id]
        assert row["frame_count"] == len(series[clip_id])
        expected = oracle_dtw(series[clip_id], series[1], int(row["band_radius_frames"]))
        assert row["exact_dtw_distance"] == pytest.approx(expected, rel=1e-9)
        euclidean = oracle_euclidean(series[clip_id], series[1])
        assert row["euclidean_distance"] == pytest.approx(euclidean, rel=1e-9)
        assert row["fastdtw_distance"] >= oracle_dtw(series[clip_id], series[1], None) - 1e-9


def test_casebook_sql_file_runs_the_chapter_analysis(
    mart: pd.DataFrame, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    capsys.readouterr()
    assert cli.main(["sql", "--file", str(ANALYSIS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if "exact_dtw_distance" in line)
    assert "euclidean_rank" in header
    rows = [line.split("|")[1].strip() for line in lines if line.startswith("|") and line != header]
    assert rows == ["1", "2", "3", "4"]
    shown = f"{mart.loc[4, 'exact_dtw_distance']:.6f}"[:6]
    assert any(shown in line for line in lines)


def test_casebook_sql_file_refuses_a_missing_file_and_a_bad_ref_in_one_sentence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    missing = tmp_path / "nope.sql"
    assert cli.main(["sql", "--file", str(missing)]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        f"casebook: {missing} does not exist: pass the path of a .sql file, "
        "e.g. analyses/chapter_02__ticks_headline.sql."
    )
    bad = tmp_path / "bad.sql"
    bad.write_text("select * from {{ ref('fct_no_such_model') }}\n")
    assert cli.main(["sql", "--file", str(bad)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"casebook: {bad} does not compile: ")
    assert "fct_no_such_model" in error
    assert len(error.splitlines()) == 1
