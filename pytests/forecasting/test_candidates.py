"""The bake-off's fast candidates against statsforecast and scikit-learn called directly, a noiseless
multiplicative series, and inputs poisoned after the forecast origin (nothing after it is read)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor
from statsforecast.models import AutoETS, Theta

from casebook.forecasting.candidates import (
    FEATURES,
    GBM_PARAMS,
    POOLED_GBM,
    POOLED_MULTIPLICATIVE,
    STATISTICAL_MODELS,
    cross_validate_pooled_store,
    cross_validate_statistical_series,
    fit_multiplicative,
    fit_pooled,
    forecast_pooled_store,
    forecast_statistical_series,
    multiplicative_forecast,
    pooled_features,
    statistical_forecast,
)
from casebook.forecasting.prophet_fit import ProphetSettings
from casebook.forecasting.series import CV_COLUMNS, FORECAST_COLUMNS, ForecastConfig

TRAINING_DATE = date(2016, 9, 30)
CONFIG = ForecastConfig(
    prophet=ProphetSettings(interval_width=0.95, uncertainty_samples=0, holiday_country=None),
    horizon_days=21,
    seed=7,
    cv_cutoffs=2,
    cv_period_days=10,
    cv_horizon_days=5,
)
WEEKDAY = np.array([0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2])


def _store(
    store_id: int = 2, items: int = 3, days: int = 900, poison_after: date | None = None
) -> pd.DataFrame:
    rng = np.random.default_rng(store_id)
    calendar = pd.date_range(end=pd.Timestamp(TRAINING_DATE), periods=days, freq="D")
    frames = []
    for item in range(1, items + 1):
        mean = (
            10
            * item
            * (1 + 0.25 * np.sin(2 * np.pi * calendar.dayofyear / 365.25))
            * WEEKDAY[calendar.dayofweek]
        )
        frames.append(
            pd.DataFrame(
                {
                    "store_id": store_id,
                    "item_id": item,
                    "training_date": TRAINING_DATE,
                    "sales_date": calendar.date,
                    "sales_qty": rng.poisson(mean).astype(float),
                }
            )
        )
    store = pd.concat(frames, ignore_index=True).sample(frac=1.0, random_state=3)  # any row order
    return store


@pytest.fixture(scope="module")
def store() -> pd.DataFrame:
    return _store()


def _one_series(store: pd.DataFrame, item_id: int = 1) -> pd.DataFrame:
    return store[store["item_id"] == item_id]


def _ordered_y(series: pd.DataFrame) -> np.ndarray:
    return series.sort_values("sales_date")["sales_qty"].to_numpy(dtype=float)


LAST_104_WEEKS = 104 * 7


@pytest.mark.parametrize(
    ("name", "direct"),
    [("ets", lambda: AutoETS(season_length=7, model="ANA")), ("theta", lambda: Theta(season_length=7))],
)
def test_statistical_models_equal_statsforecast_called_directly(store, name, direct) -> None:
    y = _ordered_y(_one_series(store))
    # Fitted to the last 104 weeks of the series only.
    expected = np.clip(direct().forecast(y=y[-LAST_104_WEEKS:], h=CONFIG.horizon_days)["mean"], 0, None)
    assert statistical_forecast(y, CONFIG.horizon_days, name) == pytest.approx(expected, rel=1e-12)
    rows = forecast_statistical_series(_one_series(store), CONFIG)
    own = rows[rows["model_name"] == name].sort_values("sales_date")
    assert own["yhat"].to_numpy() == pytest.approx(expected, rel=1e-12)
    assert list(rows.columns) == list(FORECAST_COLUMNS)
    assert set(rows["model_name"]) == set(STATISTICAL_MODELS)
    assert own["sales_date"].min() == date(2016, 10, 1) and len(own) == CONFIG.horizon_days


def test_statistical_cross_validation_refits_on_the_days_up_to_each_cutoff(store) -> None:
    series = _one_series(store)
    rows = cross_validate_statistical_series(series, CONFIG)
    assert list(rows.columns) == list(CV_COLUMNS)
    cutoffs = sorted(set(rows["cutoff_date"]))
    assert cutoffs == [date(2016, 9, 15), date(2016, 9, 25)]
    y = series.sort_values("sales_date")
    for cutoff in cutoffs:
        before = y[y["sales_date"] <= cutoff]["sales_qty"].to_numpy(dtype=float)
        own = rows[(rows["cutoff_date"] == cutoff) & (rows["model_name"] == "theta")]
        expected = np.clip(Theta(season_length=7).forecast(y=before[-LAST_104_WEEKS:], h=5)["mean"], 0, None)
        assert own.sort_values("sales_date")["yhat"].to_numpy() == pytest.approx(expected, rel=1e-12)
        assert own["horizon_days"].tolist() == [1, 2, 3, 4, 5]


def test_the_multiplicative_model_recovers_noiseless_multiplicative_sales() -> None:
    days = pd.date_range("2013-01-01", "2016-09-30", freq="D")
    year = {2013: 1.0, 2014: 1.15, 2015: 1.2, 2016: 1.3}
    month = 1 + 0.3 * np.sin(np.arange(1, 13))
    frames = []
    for item_id, level in ((1, 10.0), (2, 40.0)):
        y = level * days.year.map(year).to_numpy() * month[days.month - 1] * WEEKDAY[days.dayofweek]
        frames.append(pd.DataFrame({"item_id": item_id, "ds": days, "y": y}))
    history = pd.concat(frames, ignore_index=True)
    effects = fit_multiplicative(history)
    assert effects["year"][2014] / effects["year"][2013] == pytest.approx(1.15, rel=1e-6)
    ahead = multiplicative_forecast(history, pd.Timestamp("2016-09-30"), 30)
    truth = 40.0 * 1.3 * month[ahead["ds"].dt.month - 1] * WEEKDAY[ahead["ds"].dt.dayofweek]
    item_2 = ahead["item_id"] == 2
    assert ahead.loc[item_2, "yhat"].to_numpy() == pytest.approx(truth[item_2.to_numpy()], rel=1e-6)
    # a year not seen yet: the last year's effect grown by the last year-on-year growth
    later = multiplicative_forecast(history, pd.Timestamp("2016-09-30"), 120)
    january = later[(later["item_id"] == 1) & (later["ds"] == pd.Timestamp("2017-01-02"))]["yhat"].iloc[0]
    assert january == pytest.approx(10.0 * 1.3 * (1.3 / 1.2) * month[0] * WEEKDAY[0], rel=1e-6)


def test_pooled_features_never_read_a_day_after_the_origin(store) -> None:
    history = pd.DataFrame(
        {"item_id": store["item_id"], "ds": pd.to_datetime(store["sales_date"]), "y": store["sales_qty"]}
    )
    origin = pd.Timestamp("2016-08-31")
    clean = pooled_features(history[history["ds"] <= origin], origin, 30, 30)
    poisoned = pooled_features(
        history.assign(y=np.where(history["ds"] > origin, 1e9, history["y"])), origin, 30, 30
    )
    pd.testing.assert_frame_equal(clean, poisoned)
    assert clean[clean["ds"] > origin]["y"].isna().all()
    with pytest.raises(ValueError, match="lag_days"):
        pooled_features(history, origin, 30, 29)


def test_the_pooled_gbm_equals_scikit_learn_called_directly(store) -> None:
    history = pd.DataFrame(
        {"item_id": store["item_id"], "ds": pd.to_datetime(store["sales_date"]), "y": store["sales_qty"]}
    )
    origin = pd.Timestamp(TRAINING_DATE)
    features = pooled_features(history, origin, CONFIG.horizon_days, CONFIG.horizon_days)
    train = features[(features["ds"] <= origin) & (features["level_qty"] > 0)].dropna(subset=["y"])
    train = train[train["ds"] > origin - pd.Timedelta(days=730)]
    direct = HistGradientBoostingRegressor(**GBM_PARAMS, categorical_features="from_dtype", random_state=5)
    direct.fit(train[FEATURES], train["y"] / train["level_qty"])
    ahead = features[features["ds"] > origin]
    ours = fit_pooled(features[features["ds"] <= origin], seed=5)
    assert ours.predict(ahead[FEATURES]) == pytest.approx(direct.predict(ahead[FEATURES]), rel=1e-12)
    rows = forecast_pooled_store(store, CONFIG)
    assert set(rows["model_name"]) == {POOLED_GBM, POOLED_MULTIPLICATIVE}
    assert len(rows) == 2 * 3 * CONFIG.horizon_days and (rows["yhat"] >= 0).all()
    assert list(rows.columns) == list(FORECAST_COLUMNS)


def test_pooled_forecasts_and_cv_ignore_everything_after_the_origin(store) -> None:
    """Rows after the training date (which the Spark job never passes) change nothing, and the CV rows of
    a cutoff depend only on the days up to it."""
    rows = forecast_pooled_store(store, CONFIG)
    cv = cross_validate_pooled_store(store, CONFIG)
    assert sorted(set(cv["cutoff_date"])) == [date(2016, 9, 15), date(2016, 9, 25)]
    assert (cv["sales_date"] <= TRAINING_DATE).all()
    late = store["sales_date"] > date(2016, 9, 25)
    poisoned = store.assign(sales_qty=np.where(late, 1e9, store["sales_qty"]))
    cv_poisoned = cross_validate_pooled_store(poisoned, CONFIG)
    early = cv["cutoff_date"] == date(2016, 9, 15)
    early_poisoned = cv_poisoned["cutoff_date"] == date(2016, 9, 15)
    key = ["model_name", "item_id", "sales_date"]
    first = cv[early].sort_values(key).reset_index(drop=True)
    second = cv_poisoned[early_poisoned].sort_values(key).reset_index(drop=True)
    # the first cutoff's window (16th..20th) lies before the poisoned days: same forecasts, same actuals
    pd.testing.assert_frame_equal(first, second)
    assert len(rows) > 0
