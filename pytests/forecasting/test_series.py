"""The per-series forecasting functions against Prophet called directly and a hand-computed baseline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from prophet import Prophet
from prophet.diagnostics import cross_validation
from scipy.stats import norm

from casebook.forecasting.prophet_fit import ProphetSettings, series_seed
from casebook.forecasting.series import (
    FORECAST_COLUMNS,
    ForecastConfig,
    cross_validate_series,
    cv_cutoffs,
    forecast_series,
    interval_sigma,
    seasonal_naive,
)

TRAINING_DATE = date(2016, 6, 30)
# Small and quick: no holidays, few interval samples (the real-data test covers the defaults).
CONFIG = ForecastConfig(
    prophet=ProphetSettings(interval_width=0.95, uncertainty_samples=200, holiday_country=None),
    horizon_days=21,
    seed=7,
    cv_cutoffs=2,
    cv_period_days=10,
    cv_horizon_days=5,
)


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    days = pd.date_range(end=pd.Timestamp(TRAINING_DATE), periods=500, freq="D")
    mean = 20 * (1 + 0.2 * np.sin(2 * np.pi * days.dayofyear / 365.25)) * (1 + 0.1 * (days.dayofweek >= 5))
    return pd.DataFrame(
        {
            "store_id": 3,
            "item_id": 9,
            "training_date": TRAINING_DATE,
            "sales_date": days.date,
            "sales_qty": rng.poisson(mean),
        }
    ).sample(frac=1.0, random_state=1)  # any row order


def _direct_prophet(settings: ProphetSettings) -> Prophet:
    return Prophet(
        growth="linear",
        yearly_seasonality=True,
        weekly_seasonality=True,
        daily_seasonality=False,
        seasonality_mode="multiplicative",
        interval_width=settings.interval_width,
        uncertainty_samples=settings.uncertainty_samples,
    )


def test_forecast_equals_prophet_called_directly(series) -> None:
    rows = forecast_series(series, CONFIG)
    seed = series_seed(CONFIG.seed, 3, 9)
    history = pd.DataFrame(
        {"ds": pd.to_datetime(series["sales_date"]), "y": series["sales_qty"]}
    ).sort_values("ds")
    model = _direct_prophet(CONFIG.prophet).fit(history, seed=seed)
    np.random.seed(seed)
    ahead = model.predict(model.make_future_dataframe(CONFIG.horizon_days, include_history=False))
    prophet = rows[rows["model_name"] == "prophet"]
    fitted, forecast = prophet[~prophet["is_forecast"]], prophet[prophet["is_forecast"]]
    assert fitted["yhat"].to_numpy() == pytest.approx(model.predict(history)["yhat"].to_numpy(), rel=1e-9)
    assert forecast["sales_date"].tolist() == ahead["ds"].dt.date.tolist()
    for column in ("yhat", "yhat_lower", "yhat_upper"):
        assert forecast[column].to_numpy() == pytest.approx(ahead[column].to_numpy(), rel=1e-9)
    assert fitted["yhat_lower"].isna().all()
    assert list(rows.columns) == list(FORECAST_COLUMNS)


def test_same_series_same_seed_same_numbers_and_another_seed_moves_only_the_interval(series) -> None:
    first, again = forecast_series(series, CONFIG), forecast_series(series, CONFIG)
    pd.testing.assert_frame_equal(first, again)
    other = forecast_series(series, replace(CONFIG, seed=8))
    assert other["yhat"].to_numpy() == pytest.approx(first["yhat"].to_numpy(), rel=1e-6)
    assert not np.allclose(other["yhat_upper"].dropna(), first["yhat_upper"].dropna())


def test_seasonal_naive_repeats_the_last_week_with_a_widening_interval() -> None:
    history = np.arange(1.0, 22.0)  # 21 days: the last week is 15..21
    yhat, lower, upper = seasonal_naive(history, horizon=10, interval_width=0.95)
    assert yhat.tolist() == [15, 16, 17, 18, 19, 20, 21, 15, 16, 17]
    sigma = 7.0  # every one-week difference is exactly 7
    half = norm.ppf(0.975) * sigma * np.sqrt([1] * 7 + [2] * 3)
    assert upper - yhat == pytest.approx(half)
    assert yhat - lower == pytest.approx(half)


def test_baseline_rows_cover_the_horizon_only(series) -> None:
    baseline = forecast_series(series, CONFIG).query("model_name == 'seasonal_naive'")
    assert len(baseline) == CONFIG.horizon_days and baseline["is_forecast"].all()
    last_week = series.sort_values("sales_date")["sales_qty"].to_numpy()[-7:]
    assert baseline["yhat"].to_numpy()[:7] == pytest.approx(last_week)


def test_interval_sigma_inverts_a_normal_interval() -> None:
    z = norm.ppf(0.975)
    assert interval_sigma([10 - 2 * z], [10 + 2 * z], 0.95) == pytest.approx([2.0])


def test_cutoffs_end_one_cv_horizon_before_the_training_date() -> None:
    assert cv_cutoffs(date(2017, 9, 30), 3, 28, 14) == [
        date(2017, 9, 16) - timedelta(days=56),
        date(2017, 9, 16) - timedelta(days=28),
        date(2017, 9, 16),
    ]


def test_cross_validation_equals_prophets_own(series) -> None:
    rows = cross_validate_series(series, CONFIG).query("model_name == 'prophet'")
    seed = series_seed(CONFIG.seed, 3, 9)
    history = pd.DataFrame(
        {"ds": pd.to_datetime(series["sales_date"]), "y": series["sales_qty"]}
    ).sort_values("ds")
    settings = replace(CONFIG.prophet, uncertainty_samples=0)
    model = _direct_prophet(settings).fit(history, seed=seed)
    cutoffs = [pd.Timestamp(c) for c in cv_cutoffs(TRAINING_DATE, 2, 10, 5)]
    expected = cross_validation(model, horizon="5 days", cutoffs=cutoffs, disable_tqdm=True)
    assert len(rows) == len(expected) == 10
    assert rows["sales_date"].tolist() == expected["ds"].dt.date.tolist()
    assert rows["sales_qty"].to_numpy() == pytest.approx(expected["y"].to_numpy())
    # Prophet's own refits start Stan without our seed; L-BFGS from Prophet's fixed start needs none.
    assert rows["yhat"].to_numpy() == pytest.approx(expected["yhat"].to_numpy(), rel=1e-6)
    assert rows["horizon_days"].tolist() == [1, 2, 3, 4, 5] * 2


def test_a_failing_fit_returns_no_rows_instead_of_raising(series) -> None:
    broken = series.assign(sales_qty=np.nan)  # Prophet refuses a history without a single y
    assert forecast_series(broken, CONFIG).empty


def test_no_cutoffs_and_failed_fits_give_empty_frames_arrow_can_cast_to_the_spark_schema(series) -> None:
    import pyarrow as pa

    from casebook.forecasting.series import CV_COLUMNS

    arrow_types = {
        "bigint": pa.int64(),
        "date": pa.date32(),
        "string": pa.string(),
        "double": pa.float64(),
        "int": pa.int32(),
        "boolean": pa.bool_(),
    }
    for frame, columns in (
        (cross_validate_series(series, replace(CONFIG, cv_cutoffs=0)), CV_COLUMNS),
        (forecast_series(series.assign(sales_qty=np.nan), CONFIG), FORECAST_COLUMNS),
    ):
        assert frame.empty and list(frame.columns) == list(columns)
        schema = pa.schema([(name, arrow_types[kind]) for name, kind in columns.items()])
        assert pa.Table.from_pandas(frame, preserve_index=False).cast(schema).num_rows == 0
