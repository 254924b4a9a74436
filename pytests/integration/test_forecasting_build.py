"""The forecasting lineage of the tiny warehouse, checked against pandas, scikit-learn, scipy and
Prophet called directly on series rebuilt from the raw data.

The oracle re-applies the staging rules to the generated raw frame in pandas (drop bad rows, keep one
copy per day, zero-fill gaps), fits Prophet itself with the documented settings and recomputes every
metric and service level from the marts' rows with independent code.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from dbt.cli.main import dbtRunnerResult
from prophet import Prophet
from scipy.stats import norm
from sklearn.metrics import mean_absolute_error, mean_squared_error

from casebook.data.forecasting import generate_forecasting
from casebook.forecasting.prophet_fit import series_seed
from casebook.forecasting.settings import ForecastingSettings
from casebook.settings import from_project
from pytests.integration.conftest import SEED, Warehouse

pytestmark = pytest.mark.integration

KEYS = ["store_id", "item_id"]
SETTINGS = from_project(ForecastingSettings)  # the build's vars: dbt_project.yml's defaults
HORIZON_DAYS = SETTINGS.horizon_days
MIN_TRAINING_DAYS = SETTINGS.min_training_days
FORECASTING_SEED = SETTINGS.seed
LEAD_TIME_DAYS, CYCLE_DAYS = SETTINGS.lead_time_days, SETTINGS.cycle_days
MODELS = [
    "int_forecasting__prophet_forecast",
    "int_forecasting__cross_validation",
    "int_forecasting__candidate_forecast",
    "int_forecasting__candidate_cross_validation",
    "fct_forecast_bakeoff",
    "fct_forecast_bakeoff_summary",
    "int_forecasting__training_runs",
    "fct_demand_forecast",
    "fct_forecast_evaluation",
    "fct_forecast_cv_metrics",
    "fct_safety_stock_cycles",
    "fct_safety_stock_service_levels",
    "fct_safety_stock_summary",
    "fct_forecasting_skipped_series",
    "fct_forecasting_training_runs",
]


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return generate_forecasting("tiny", SEED)


@pytest.fixture(scope="module")
def daily(raw: pd.DataFrame) -> pd.DataFrame:
    """The oracle's usable daily sales: keyed, non-negative, one row per (store, item, day)."""
    usable = raw.dropna(subset=["date", "store", "item", "sales"]).query("sales >= 0")
    usable = usable.sort_values("sales", ascending=False).drop_duplicates(["store", "item", "date"])
    return usable.rename(
        columns={"store": "store_id", "item": "item_id", "date": "sales_date", "sales": "sales_qty"}
    )


@pytest.fixture(scope="module")
def training_date(daily: pd.DataFrame):
    return max(daily["sales_date"]) - timedelta(days=HORIZON_DAYS)


def _table(spark, name: str, order: list[str]) -> pd.DataFrame:
    return spark.table(name).toPandas().sort_values(order).reset_index(drop=True)


def _series(daily: pd.DataFrame, store_id: int, item_id: int, last_day) -> pd.DataFrame:
    """One series' gap-free days up to last_day, zero-filled."""
    own = daily[(daily["store_id"] == store_id) & (daily["item_id"] == item_id)]
    days = pd.date_range(min(own["sales_date"]), last_day, freq="D")
    sales = own.set_index(pd.to_datetime(own["sales_date"]))["sales_qty"].astype(float)
    return pd.DataFrame({"ds": days, "y": sales.reindex(days, fill_value=0.0).to_numpy()})


def test_forecasting_models_and_their_tests_succeed(
    first_build: dbtRunnerResult, warehouse: Warehouse
) -> None:
    statuses = {r.node.name: str(r.status) for r in first_build.result}
    assert all(statuses[model] == "success" for model in MODELS), statuses
    forecasting = {
        r.node.name: str(r.status)
        for r in first_build.result
        if "forecast" in r.node.name and r.node.resource_type in {"model", "test", "seed"}
    }
    # Every model of the domain has tests; every data test and unit test declared on them ran, and passed.
    tests = warehouse.statuses_of_tests_on_models_named(first_build, "forecast")
    assert tests and set(tests.values()) == {"pass"}, tests
    assert set(forecasting.values()) <= {"success", "pass"}, forecasting


def test_every_raw_row_is_staged_or_quarantined_with_the_oracles_reason(spark, raw, daily) -> None:
    quarantine = spark.table("staging.stg_forecasting__quarantined_records").toPandas()
    missing_key = raw[["date", "store", "item"]].isna().any(axis=1)
    negative = ~missing_key & (raw["sales"] < 0)
    expected = Counter(
        {
            "missing_key": int(missing_key.sum()),
            "negative_sales": int(negative.sum()),
            "duplicate_record": len(raw) - int(missing_key.sum()) - int(negative.sum()) - len(daily),
        }
    )
    assert Counter(quarantine["quarantine_reason"]) == expected
    assert all(count >= 1 for count in expected.values())
    assert spark.table("staging.stg_forecasting__daily_sales").count() == len(daily)


def test_the_short_series_is_skipped_with_a_reason_and_gaps_are_zero_filled(
    spark, daily, training_date
) -> None:
    skipped = _table(spark, "marts.fct_forecasting_skipped_series", KEYS)
    assert skipped[[*KEYS, "skip_reason"]].values.tolist() == [[2, 3, "too_short"]]
    assert skipped["training_days"].iloc[0] < MIN_TRAINING_DAYS
    filled = spark.sql(
        "select store_id, item_id, count(*) as days from intermediate.int_forecasting__training_sales "
        "where is_filled group by store_id, item_id"
    ).toPandas()
    # The oracle's gaps: days of a fitted series' span without a usable row (the injected 3-day gap,
    # and each day whose only row was negative).
    last_day = max(daily["sales_date"])
    expected = []
    for (store_id, item_id), own in daily.groupby(KEYS):
        span = pd.date_range(min(own["sales_date"]), last_day, freq="D").date
        if (training_date - min(own["sales_date"])).days + 1 >= MIN_TRAINING_DAYS:
            missing = len(set(span) - set(own["sales_date"]))
            if missing:
                expected.append([store_id, item_id, missing])
    assert sorted(filled.values.tolist()) == expected
    assert expected[0][:2] == [1, 1] and expected[0][2] >= 3  # the injected gap is among them
    assert set(_table(spark, "intermediate.int_forecasting__series_profile", KEYS)["training_date"]) == {
        training_date
    }


def test_forecasts_equal_prophet_called_directly(spark, daily, training_date) -> None:
    forecast = _table(spark, "marts.fct_demand_forecast", [*KEYS, "model_name", "sales_date"])
    prophet = forecast[forecast["model_name"] == "prophet"]
    assert sorted(map(tuple, prophet[KEYS].drop_duplicates().values.tolist())) == [
        (1, 1),
        (1, 2),
        (2, 1),
        (2, 2),
    ]
    for (store_id, item_id), rows in prophet.groupby(KEYS):
        history = _series(daily, store_id, item_id, training_date)
        seed = series_seed(FORECASTING_SEED, store_id, item_id)
        model = Prophet(
            growth="linear",
            yearly_seasonality=True,
            weekly_seasonality=True,
            daily_seasonality=False,
            seasonality_mode="multiplicative",
            interval_width=0.95,
        )
        model.add_country_holidays(country_name="US")
        model.fit(history, seed=seed)
        np.random.seed(seed)
        ahead = model.predict(model.make_future_dataframe(HORIZON_DAYS, include_history=False))
        fitted = model.predict(history)
        in_sample, horizon = rows[~rows["is_forecast"]], rows[rows["is_forecast"]]
        assert in_sample["yhat"].to_numpy() == pytest.approx(fitted["yhat"].to_numpy(), rel=1e-9)
        assert in_sample["sales_qty"].to_numpy() == pytest.approx(history["y"].to_numpy())
        for column in ("yhat", "yhat_lower", "yhat_upper"):
            assert horizon[column].to_numpy() == pytest.approx(ahead[column].to_numpy(), rel=1e-9)


def test_evaluation_equals_scikit_learn_on_the_held_out_days(spark, daily, training_date) -> None:
    evaluation = _table(spark, "marts.fct_forecast_evaluation", KEYS)
    forecast = spark.table("marts.fct_demand_forecast").toPandas()
    assert len(evaluation) == 4
    for row in evaluation.itertuples(index=False):
        actual = _series(daily, row.store_id, row.item_id, max(daily["sales_date"]))
        actual = actual[actual["ds"].dt.date > training_date]["y"].to_numpy()
        assert row.evaluation_days == HORIZON_DAYS == len(actual)
        for prefix, model_name in (("prophet", "prophet"), ("baseline", "seasonal_naive")):
            own = forecast[
                (forecast["store_id"] == row.store_id)
                & (forecast["item_id"] == row.item_id)
                & (forecast["model_name"] == model_name)
                & forecast["is_forecast"]
            ].sort_values("sales_date")
            yhat = own["yhat"].to_numpy()
            nonzero = actual != 0
            assert getattr(row, f"{prefix}_mae") == pytest.approx(mean_absolute_error(actual, yhat))
            assert getattr(row, f"{prefix}_rmse") == pytest.approx(
                math.sqrt(mean_squared_error(actual, yhat))
            )
            assert getattr(row, f"{prefix}_mape") == pytest.approx(
                100 * np.mean(np.abs(actual[nonzero] - yhat[nonzero]) / actual[nonzero])
            )
            assert getattr(row, f"{prefix}_smape") == pytest.approx(
                100 * np.mean(2 * np.abs(actual - yhat) / (np.abs(actual) + np.abs(yhat)))
            )
    assert evaluation["is_prophet_better"].all()  # trend and yearly seasonality beat last week's copy


def test_cross_validation_metrics_by_horizon_equal_scikit_learn(spark) -> None:
    rows = spark.table("intermediate.int_forecasting__cross_validation").toPandas()
    metrics = _table(spark, "marts.fct_forecast_cv_metrics", [*KEYS, "model_name", "horizon_days"])
    assert set(rows["cutoff_date"].nunique() for _, rows in rows.groupby(KEYS)) == {2}
    for key, group in rows.groupby([*KEYS, "model_name", "horizon_days"]):
        row = metrics.set_index([*KEYS, "model_name", "horizon_days"]).loc[key]
        assert row["cutoff_count"] == len(group) == 2
        assert row["rmse"] == pytest.approx(math.sqrt(mean_squared_error(group["sales_qty"], group["yhat"])))
        assert row["mae"] == pytest.approx(mean_absolute_error(group["sales_qty"], group["yhat"]))


def test_no_cross_validation_cutoffs_means_no_fitting_work(spark) -> None:
    """forecasting_cv_cutoffs: 0 returns the empty output at once: reading any training row would raise."""
    from pyspark.sql import functions as F

    from casebook.forecasting.series import CV_COLUMNS
    from casebook.forecasting.spark_jobs import cross_validate_all_series

    untouchable = spark.table("intermediate.int_forecasting__training_sales").withColumn(
        "is_training", F.expr("raise_error('a training row was read') is null")
    )
    config = from_project(ForecastingSettings, cv_cutoffs=0).forecast_config()
    rows = cross_validate_all_series(untouchable, config)
    assert rows.columns == list(CV_COLUMNS)
    assert rows.count() == 0


def test_achieved_service_levels_equal_a_pandas_recount(spark, training_date) -> None:
    forecast = spark.table("marts.fct_demand_forecast").toPandas().query("model_name == 'prophet'")
    cv = (
        spark.table("intermediate.int_forecasting__cross_validation")
        .toPandas()
        .query("model_name == 'prophet'")
    )
    levels = _table(
        spark, "marts.fct_safety_stock_service_levels", [*KEYS, "sigma_method", "target_service_level"]
    )
    assert set(levels["sigma_method"]) == {
        "std_demand",
        "rmse",
        "mae",
        "cv_worst_rmse",
        "forecast_interval",
        "cv_cycle_rmse",
        "cv_cycle_quantile",
    }
    first_order = training_date + timedelta(days=(6 - training_date.weekday()) % 7)  # the first Sunday
    for (store_id, item_id), rows in forecast.groupby(KEYS):
        rows = rows.set_index("sales_date").sort_index()
        history = rows[~rows["is_forecast"]]
        residual = history["sales_qty"] - history["yhat"]
        own_cv = cv[(cv["store_id"] == store_id) & (cv["item_id"] == item_id) & (cv["horizon_days"] <= 10)]
        squared = own_cv.assign(squared_error=(own_cv["sales_qty"] - own_cv["yhat"]) ** 2)
        cv_rmse = squared.groupby("horizon_days")["squared_error"].mean() ** 0.5
        sigmas = {
            "std_demand": history["sales_qty"].std(ddof=1),
            "rmse": math.sqrt(np.mean(residual**2)),
            "mae": np.mean(np.abs(residual)),
            "cv_worst_rmse": cv_rmse.max(),
        }
        cycles = []
        order = first_order
        while order + timedelta(days=LEAD_TIME_DAYS + CYCLE_DAYS) <= training_date + timedelta(
            days=HORIZON_DAYS
        ):
            days = [order + timedelta(days=LEAD_TIME_DAYS + 1 + d) for d in range(CYCLE_DAYS)]
            cycles.append(rows.loc[days])
            order += timedelta(days=7)
        assert len(cycles) >= 10  # about twelve weeks in a 90-day horizon, minus partial cycles
        for level in (0.8, 0.95, 0.9999):
            z = norm.ppf(level)
            for method, sigma in sigmas.items():
                covered = [
                    c["sales_qty"].sum() <= c["yhat"].sum() + z * math.sqrt(CYCLE_DAYS) * sigma
                    for c in cycles
                ]
                row = levels[
                    (levels["store_id"] == store_id)
                    & (levels["item_id"] == item_id)
                    & (levels["sigma_method"] == method)
                    & np.isclose(levels["target_service_level"], level)
                ].iloc[0]
                assert row["cycle_count"] == len(cycles)
                assert row["achieved_service_level"] == pytest.approx(np.mean(covered)), (
                    store_id,
                    item_id,
                    method,
                )
            interval = [
                c["yhat"].sum()
                + z * math.sqrt((((c["yhat_upper"] - c["yhat_lower"]) / (2 * norm.ppf(0.975))) ** 2).sum())
                for c in cycles
            ]
            row = levels[
                (levels["store_id"] == store_id)
                & (levels["item_id"] == item_id)
                & (levels["sigma_method"] == "forecast_interval")
                & np.isclose(levels["target_service_level"], level)
            ].iloc[0]
            covered = [c["sales_qty"].sum() <= need for c, need in zip(cycles, interval, strict=True)]
            assert row["achieved_service_level"] == pytest.approx(np.mean(covered))


def test_one_mlflow_run_for_the_training_date_with_the_evaluation_artifacts(
    spark, warehouse: Warehouse, training_date
) -> None:
    from casebook.tracking import client

    runs = spark.table("marts.fct_forecasting_training_runs").toPandas()
    assert runs["training_date"].tolist() == [training_date]
    evaluation = spark.table("marts.fct_forecast_evaluation").toPandas()
    run = client().get_run(runs["mlflow_run_id"].iloc[0])
    assert run.data.params["horizon_days"] == str(HORIZON_DAYS)
    assert run.data.metrics["prophet_mean_mape"] == pytest.approx(evaluation["prophet_mape"].mean())
    assert run.data.metrics["baseline_mean_mape"] == pytest.approx(evaluation["baseline_mape"].mean())
    assert run.data.metrics["series_skipped"] == 1
    artifacts = {item.path for item in client().list_artifacts(run.info.run_id)}
    summary = spark.table("marts.fct_forecast_bakeoff_summary").toPandas().set_index("model_name")
    for model_name in ("pooled_multiplicative", "ets", "selected"):
        assert run.data.metrics[f"bakeoff_{model_name}_holdout_mean_smape"] == pytest.approx(
            summary.loc[model_name, "mean_holdout_smape"]
        )
        assert run.data.metrics[f"bakeoff_{model_name}_cv_mean_smape"] == pytest.approx(
            summary.loc[model_name, "mean_cv_smape"]
        )
    chosen = summary[summary["selected_series_count"].fillna(0) > 0]
    assert run.data.tags["casebook.selection"] == ", ".join(
        f"{name}:{int(count)}" for name, count in sorted(chosen["selected_series_count"].items())
    )
    assert artifacts == {
        "forecast_bakeoff_summary.csv",
        "forecast_evaluation.csv",
        "forecast_cv_metrics.csv",
        "safety_stock_service_levels.csv",
        "skipped_series.csv",
    }
    assert (warehouse.data_dir / "mlflow" / "mlflow.db").is_file()


def _fitted_store_history(daily: pd.DataFrame, store_id: int, items: list[int], last_day) -> pd.DataFrame:
    frames = [_series(daily, store_id, item_id, last_day).assign(item_id=item_id) for item_id in items]
    return pd.concat(frames, ignore_index=True)[["item_id", "ds", "y"]]


def test_candidates_equal_statsforecast_and_scikit_learn_called_directly(spark, daily, training_date) -> None:
    from sklearn.ensemble import HistGradientBoostingRegressor
    from statsforecast.models import AutoETS, Theta

    from casebook.forecasting.candidates import FEATURES, GBM_PARAMS, multiplicative_forecast, pooled_features

    candidates = _table(
        spark, "intermediate.int_forecasting__candidate_forecast", [*KEYS, "model_name", "sales_date"]
    )
    assert set(candidates["model_name"]) == {"ets", "theta", "pooled_multiplicative", "pooled_gbm"}
    fitted = sorted(map(tuple, candidates[KEYS].drop_duplicates().values.tolist()))
    assert fitted == [(1, 1), (1, 2), (2, 1), (2, 2)]
    direct = {"ets": lambda: AutoETS(season_length=7, model="ANA"), "theta": lambda: Theta(season_length=7)}
    for (store_id, item_id), rows in candidates.groupby(KEYS):
        y = _series(daily, store_id, item_id, training_date)["y"].to_numpy()[-104 * 7 :]  # the last 104 weeks
        for name, make in direct.items():
            expected = np.clip(make().forecast(y=y, h=HORIZON_DAYS)["mean"], 0, None)
            own = rows[rows["model_name"] == name]
            assert own["yhat"].to_numpy() == pytest.approx(expected, rel=1e-9), (store_id, item_id, name)
            assert own["sales_date"].min() == training_date + timedelta(days=1)
    origin = pd.Timestamp(training_date)
    for store_id in (1, 2):
        history = _fitted_store_history(daily, store_id, [1, 2], training_date)
        features = pooled_features(history, origin, HORIZON_DAYS, HORIZON_DAYS)
        train = features[(features["ds"] <= origin) & (features["level_qty"] > 0)].dropna(subset=["y"])
        train = train[train["ds"] > origin - pd.Timedelta(days=730)]
        model = HistGradientBoostingRegressor(
            **GBM_PARAMS,
            categorical_features="from_dtype",
            random_state=series_seed(FORECASTING_SEED, store_id, "pooled_gbm"),
        ).fit(train[FEATURES], train["y"] / train["level_qty"])
        ahead = features[features["ds"] > origin]
        gbm = np.clip(model.predict(ahead[FEATURES]) * ahead["level_qty"].to_numpy(), 0, None)
        own = candidates[(candidates["store_id"] == store_id) & (candidates["model_name"] == "pooled_gbm")]
        assert own.sort_values(["item_id", "sales_date"])["yhat"].to_numpy() == pytest.approx(gbm, rel=1e-9)
        multiplicative = multiplicative_forecast(history, origin, HORIZON_DAYS).sort_values(["item_id", "ds"])
        own = candidates[
            (candidates["store_id"] == store_id) & (candidates["model_name"] == "pooled_multiplicative")
        ]
        assert own.sort_values(["item_id", "sales_date"])["yhat"].to_numpy() == pytest.approx(
            multiplicative["yhat"].to_numpy(), rel=1e-9
        )


def test_the_selection_never_reads_a_row_after_the_training_date(spark) -> None:
    """The candidates' fits and CV (all the selection reads) run on training rows whose every day after
    the training date raises when read, and give the same rows as the build."""
    from pyspark.sql import functions as F

    from casebook.forecasting.spark_jobs import cross_validate_candidates, forecast_candidates

    poisoned = spark.table("intermediate.int_forecasting__training_sales").withColumn(
        "sales_qty",
        F.expr("if(sales_date <= training_date, sales_qty, raise_error('read after the training date'))"),
    )
    config = SETTINGS.forecast_config()
    key = [*KEYS, "model_name", "cutoff_date", "sales_date"]
    cv = cross_validate_candidates(poisoned, config).toPandas().sort_values(key).reset_index(drop=True)
    built = _table(spark, "intermediate.int_forecasting__candidate_cross_validation", key)
    pd.testing.assert_frame_equal(cv, built, check_dtype=False)
    ahead = forecast_candidates(poisoned, config).toPandas().sort_values([*KEYS, "model_name", "sales_date"])
    built = _table(
        spark, "intermediate.int_forecasting__candidate_forecast", [*KEYS, "model_name", "sales_date"]
    )
    assert ahead["yhat"].to_numpy() == pytest.approx(built["yhat"].to_numpy(), rel=1e-12)
    # Every CV row the selection and the ensemble read lies before the training date.
    bakeoff_cv = spark.table("intermediate.int_forecasting__bakeoff_cv").toPandas()
    assert (bakeoff_cv["sales_date"] <= bakeoff_cv["training_date"]).all()
    assert {"prophet", "ensemble", "pooled_gbm"} <= set(bakeoff_cv["model_name"])


def test_the_selection_and_the_bakeoff_marts_equal_a_pandas_recount(spark, daily, training_date) -> None:
    cv = spark.table("intermediate.int_forecasting__bakeoff_cv").toPandas()
    cv["ape"] = 2 * (cv["sales_qty"] - cv["yhat"]).abs() / (cv["sales_qty"].abs() + cv["yhat"].abs())
    cv["ape"] = cv["ape"].fillna(0.0)
    series_smape = 100 * cv.groupby([*KEYS, "model_name"])["ape"].mean()
    single = series_smape.drop("ensemble", level="model_name").groupby("model_name").mean().sort_values()
    members = set(single.index[: SETTINGS.ensemble_size])
    ensemble = cv[cv["model_name"].isin(members)].groupby([*KEYS, "cutoff_date", "sales_date"])["yhat"].mean()
    own_ensemble = cv[cv["model_name"] == "ensemble"].set_index([*KEYS, "cutoff_date", "sales_date"])["yhat"]
    assert own_ensemble.sort_index().to_numpy() == pytest.approx(ensemble.sort_index().to_numpy())
    winner = series_smape.groupby("model_name").mean().idxmin()
    bakeoff = spark.table("marts.fct_forecast_bakeoff").toPandas()
    assert set(bakeoff["selected_model_name"]) == {winner}  # forecasting_selection_scope: global
    forecast = spark.table("marts.fct_demand_forecast").toPandas().query("is_forecast")
    selected = forecast[forecast["model_name"] == "selected"].sort_values([*KEYS, "sales_date"])
    chosen = forecast[forecast["model_name"] == winner].sort_values([*KEYS, "sales_date"])
    assert len(selected) == 4 * HORIZON_DAYS
    assert selected["yhat"].to_numpy() == pytest.approx(chosen["yhat"].to_numpy())
    for row in bakeoff[bakeoff["model_name"] != "selected"].itertuples(index=False):
        actual = _series(daily, row.store_id, row.item_id, max(daily["sales_date"]))
        actual = actual[actual["ds"].dt.date > training_date]["y"].to_numpy()
        own = (
            forecast[
                (forecast["store_id"] == row.store_id)
                & (forecast["item_id"] == row.item_id)
                & (forecast["model_name"] == row.model_name)
            ]
            .sort_values("sales_date")["yhat"]
            .to_numpy()
        )
        assert row.holdout_mae == pytest.approx(mean_absolute_error(actual, own))
        assert row.holdout_smape == pytest.approx(
            100 * np.mean(2 * np.abs(actual - own) / (np.abs(actual) + np.abs(own)))
        )
        assert row.cv_smape == pytest.approx(series_smape[(row.store_id, row.item_id, row.model_name)])
    summary = spark.table("marts.fct_forecast_bakeoff_summary").toPandas().set_index("model_name")
    assert set(summary.index) == set(bakeoff["model_name"])
    assert summary.loc[winner, "selected_series_share"] == 1.0
    means = bakeoff.groupby("model_name")["holdout_smape"].mean()
    assert summary["mean_holdout_smape"].sort_index().to_numpy() == pytest.approx(
        means.sort_index().to_numpy()
    )


def test_out_of_sample_safety_stock_equals_a_pandas_recount(spark) -> None:
    errors = spark.table("intermediate.int_forecasting__cv_cycle_errors").toPandas()
    cv = spark.table("intermediate.int_forecasting__bakeoff_cv").toPandas()
    winner = spark.table("marts.fct_forecast_bakeoff").toPandas()["selected_model_name"].iloc[0]
    window = cv[
        (cv["model_name"] == winner)
        & cv["horizon_days"].between(LEAD_TIME_DAYS + 1, LEAD_TIME_DAYS + CYCLE_DAYS)
    ]
    sums = window.groupby([*KEYS, "cutoff_date"])[["sales_qty", "yhat"]].sum()
    standardized = ((sums["sales_qty"] - sums["yhat"]) / np.sqrt(sums["yhat"])).sort_index()
    own_errors = errors.set_index([*KEYS, "cutoff_date"])["standardized_error"].sort_index()
    assert own_errors.to_numpy() == pytest.approx(standardized.to_numpy())
    cycles = spark.table("marts.fct_safety_stock_cycles").toPandas()
    for level in (0.8, 0.95, 0.9999):
        quantile = np.sort(standardized.to_numpy())[max(math.ceil(level * len(standardized)), 1) - 1]
        rmse = math.sqrt(np.mean(standardized.to_numpy() ** 2))
        own = cycles[np.isclose(cycles["target_service_level"], level)]
        by_method = {m: rows for m, rows in own.groupby("sigma_method")}
        for method, factor in (
            ("cv_cycle_quantile", max(quantile, 0.0)),
            ("cv_cycle_rmse", norm.ppf(level) * rmse),
        ):
            rows = by_method[method]
            assert set(rows["forecast_model_name"]) == {"selected"}
            expected = factor * np.sqrt(rows["cycle_stock_qty"].to_numpy())
            assert rows["safety_stock_qty"].to_numpy() == pytest.approx(expected)
            assert (rows["is_covered"] == (rows["actual_demand_qty"] <= rows["required_stock_qty"])).all()
        assert set(by_method["rmse"]["forecast_model_name"]) == {"prophet"}


def test_a_second_training_date_is_added_to_the_forecast_mart(
    spark, warehouse: Warehouse, training_date
) -> None:
    # Last on purpose: it moves the intermediate models to another training date.
    earlier = training_date - timedelta(days=7)
    before = spark.table("marts.fct_demand_forecast").where(f"training_date = '{training_date}'").toPandas()
    # Every model between the training date's decision and the mart: what a user runs for a new date.
    result = warehouse.dbt(
        "run",
        "--select",
        "int_forecasting__series_profile+,+fct_demand_forecast",
        "--vars",
        f"{{forecasting_training_cutoff_date: '{earlier}'}}",
    )
    assert result.success, result.exception
    after = spark.table("marts.fct_demand_forecast").toPandas()
    assert sorted(set(after["training_date"])) == [earlier, training_date]
    kept = after[after["training_date"] == training_date].sort_values([*KEYS, "model_name", "sales_date"])
    before = before.sort_values([*KEYS, "model_name", "sales_date"])
    assert kept["yhat"].to_numpy() == pytest.approx(before["yhat"].to_numpy())
    new = after[
        (after["training_date"] == earlier) & after["is_forecast"] & (after["model_name"] == "prophet")
    ]
    assert new["sales_date"].min() == earlier + timedelta(days=1) and len(new) == 4 * HORIZON_DAYS
