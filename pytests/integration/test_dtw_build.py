"""DTW sales trends (chapter 3) in the tiny warehouse: staging, distances, marts and the MLflow runs.

The session's single `dbt build` (conftest) loads the seeds and logs the runs into the warehouse's own
MLflow store (<data dir>/mlflow); these tests only read the tables and that store.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from dbt.cli.main import dbtRunnerResult

from casebook.dtw.distance import STRETCH_FACTORS, band_radius
from casebook.dtw.runs import HISTOGRAM_FILE, outliers_file
from casebook.dtw.settings import DtwSettings
from casebook.settings import from_project
from pytests.conftest import REPO_ROOT
from pytests.dtw.reference import reference_dtw
from pytests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration

SEED_CSV = REPO_ROOT / "seeds" / "dtw" / "dtw_uci_sales_weekly.csv"
WEEKS = [f"W{week}" for week in range(52)]
SETTINGS = from_project(DtwSettings)  # the build's vars: dbt_project.yml's defaults
OUTLIER_ABS_ZSCORE = SETTINGS.outlier_abs_zscore
CANDIDATE_MAX_DISTANCE_ZSCORE = SETTINGS.candidate_max_distance_zscore
CAPACITY_BAND_RATIO = SETTINGS.capacity_band_ratio
EXTREMES_TOP_N = SETTINGS.extremes_top_n


def _frame(spark, table: str) -> pd.DataFrame:
    return spark.table(table).toPandas()


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return pd.read_csv(SEED_CSV)


@pytest.fixture(scope="module")
def distances(spark) -> pd.DataFrame:
    return _frame(spark, "marts.fct_dtw_distances")


@pytest.fixture(scope="module")
def pattern(spark) -> list[float]:
    return (
        _frame(spark, "staging.stg_dtw__capacity_pattern").sort_values("week_nr")["capacity_units"].tolist()
    )


@pytest.fixture(scope="module")
def runs(spark) -> pd.DataFrame:
    return _frame(spark, "marts.fct_dtw_stretch_runs").sort_values("stretch_factor").reset_index(drop=True)


def test_build_ran_every_dtw_node(first_build: dbtRunnerResult) -> None:
    statuses = {
        r.node.name: str(r.status)
        for r in first_build.result
        if "dtw" in r.node.name and r.node.resource_type != "exposure"  # an exposure's build status is no-op
    }
    for name in (
        "dtw_uci_sales_weekly",
        "dtw_capacity_pattern",
        "int_dtw__distances",
        "int_dtw__stretch_runs",
        "fct_dtw_distances",
        "fct_dtw_stretch_runs",
    ):
        assert statuses[name] == "success", statuses
    assert all(status in {"success", "pass"} for status in statuses.values()), statuses


def test_staging_unpivots_every_seed_week_and_quarantines_nothing_in_the_real_data(
    spark, seed: pd.DataFrame
) -> None:
    staged = _frame(spark, "staging.stg_dtw__weekly_sales")
    expected = seed.melt(id_vars="Product_Code", value_vars=WEEKS, var_name="week", value_name="sales_units")
    expected = expected.assign(week_nr=expected["week"].str[1:].astype(int)).rename(
        columns={"Product_Code": "product_code"}
    )
    columns = ["product_code", "week_nr", "sales_units"]
    pd.testing.assert_frame_equal(
        staged[columns].sort_values(columns[:2]).reset_index(drop=True),
        expected[columns].sort_values(columns[:2]).reset_index(drop=True),
        check_dtype=False,
    )
    assert len(staged) == 811 * 52
    assert _frame(spark, "staging.stg_dtw__quarantined_products").empty


def test_distances_equal_brute_force_dtw_for_sampled_products_at_every_stretch_factor(
    distances: pd.DataFrame, seed: pd.DataFrame, pattern: list[float]
) -> None:
    assert len(distances) == 811 * len(STRETCH_FACTORS)
    sampled = seed.sample(n=8, random_state=5)
    for _, product in sampled.iterrows():
        rows = distances[distances["product_code"] == product["Product_Code"]].sort_values("stretch_factor")
        assert rows["stretch_factor"].tolist() == list(STRETCH_FACTORS)
        for _, row in rows.iterrows():
            radius = band_radius(row["stretch_factor"], 52)
            assert row["window_weeks"] == radius
            expected = reference_dtw(product[WEEKS].astype(float).tolist(), pattern, radius)
            assert row["dtw_distance"] == pytest.approx(expected, rel=1e-9), (product["Product_Code"], radius)


def test_zscores_and_outliers_are_per_stretch_factor(distances: pd.DataFrame) -> None:
    for _, group in distances.groupby("stretch_factor"):
        values = group["dtw_distance"].to_numpy()
        expected = (values - values.mean()) / values.std()
        assert group["distance_zscore"].to_numpy() == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert (group["is_outlier"].to_numpy() == (np.abs(expected) > OUTLIER_ABS_ZSCORE)).all()


def test_median_distance_falls_as_stretch_grows(distances: pd.DataFrame, runs: pd.DataFrame) -> None:
    medians = distances.groupby("stretch_factor")["dtw_distance"].median()
    assert runs["stretch_factor"].tolist() == list(STRETCH_FACTORS)
    assert runs["median_dtw_distance"].to_numpy() == pytest.approx(medians.to_numpy())
    assert all(np.diff(runs["median_dtw_distance"].to_numpy()) < 0), runs["median_dtw_distance"].tolist()


def test_extremes_are_the_closest_and_farthest_products(spark, distances: pd.DataFrame) -> None:
    extremes = _frame(spark, "marts.fct_dtw_extremes")
    for stretch_factor, group in distances.groupby("stretch_factor"):
        ordered = group.sort_values(["dtw_distance", "product_code"])
        mart = extremes[extremes["stretch_factor"] == stretch_factor]
        closest = mart[mart["extreme"] == "closest"].sort_values("extreme_rank")
        assert closest["product_code"].tolist() == ordered["product_code"].head(EXTREMES_TOP_N).tolist()
        farthest = mart[mart["extreme"] == "farthest"].sort_values("extreme_rank")
        expected_far = group.sort_values(["dtw_distance", "product_code"], ascending=[False, True])
        assert farthest["product_code"].tolist() == expected_far["product_code"].head(EXTREMES_TOP_N).tolist()


def test_candidates_have_a_close_shape_and_a_volume_near_capacity(
    spark, distances: pd.DataFrame, seed: pd.DataFrame, pattern: list[float]
) -> None:
    candidates = _frame(spark, "marts.fct_dtw_candidates")
    mean_units = seed.set_index("Product_Code")[WEEKS].mean(axis=1)
    gap = distances["product_code"].map(mean_units) / np.mean(pattern) - 1
    expected = distances[
        (distances["distance_zscore"] <= CANDIDATE_MAX_DISTANCE_ZSCORE) & (gap.abs() <= CAPACITY_BAND_RATIO)
    ]
    key = ["stretch_factor", "product_code"]
    assert sorted(map(tuple, candidates[key].to_numpy())) == sorted(map(tuple, expected[key].to_numpy()))
    assert len(candidates[candidates["stretch_factor"] == 0.05]) > 0


def test_one_mlflow_run_per_stretch_factor_in_the_warehouse_store(
    warehouse: Warehouse, runs: pd.DataFrame
) -> None:
    from casebook.tracking import client, tracking_uri

    store = warehouse.data_dir / "mlflow"
    assert tracking_uri() == f"sqlite:///{store / 'mlflow.db'}"
    assert (store / "mlflow.db").is_file()
    tracker = client()
    for _, row in runs.iterrows():
        run = tracker.get_run(row["mlflow_run_id"])
        assert run.info.status == "FINISHED"
        assert float(run.data.params["stretch_factor"]) == row["stretch_factor"]
        assert run.data.metrics["median_dtw_distance"] == pytest.approx(row["median_dtw_distance"])
        artifacts = {item.path for item in tracker.list_artifacts(row["mlflow_run_id"])}
        assert {HISTOGRAM_FILE, outliers_file(row["stretch_factor"])} <= artifacts
        artifact_dir = Path(run.info.artifact_uri.removeprefix("file://"))
        assert artifact_dir.is_relative_to(store / "artifacts")
        assert (artifact_dir / HISTOGRAM_FILE).read_bytes().startswith(b"\x89PNG")
        outliers = pd.read_csv(artifact_dir / outliers_file(row["stretch_factor"]))
        assert len(outliers) == row["outlier_count"]


def test_pyfunc_model_loaded_by_run_id_returns_the_table_distances(
    runs: pd.DataFrame, distances: pd.DataFrame, seed: pd.DataFrame
) -> None:
    import mlflow

    from casebook.tracking import using_store

    run = runs[runs["stretch_factor"] == 0.05].iloc[0]
    products = seed.sample(n=5, random_state=9).rename(columns={"Product_Code": "product_code"})
    with using_store():
        model = mlflow.pyfunc.load_model(f"runs:/{run['mlflow_run_id']}/model")
    predicted = model.predict(products).set_index("product_code")
    expected = distances[distances["stretch_factor"] == 0.05].set_index("product_code")["dtw_distance"]
    assert predicted["dtw_distance"].to_numpy() == pytest.approx(expected.loc[predicted.index].to_numpy())
    assert predicted["quarantine_reason"].isna().all()
