"""The bake-off's fast candidates beside Prophet: statistical models per series, pooled models per store.

* Statistical, one model per (store, item) from statsforecast: `ets` (ETS(A,N,A): additive error, no
  trend, additive weekly season) and `theta` (the standard Theta method on the weekly-deseasonalized
  series), each fitted to the last STATISTICAL_HISTORY_DAYS of its data: with only a weekly season they
  gain nothing from older years, and a fit's cost grows with its length (about 0.015 s per fit on two
  years, 0.05 s on five), so cross-validating them stays cheap.
* Pooled, `pooled_multiplicative`: per store, sales = item level x calendar-year effect x month effect
  x weekday effect, the three calendar effects shared by the store's items (fit_multiplicative).
* Pooled, `pooled_gbm`: one scikit-learn HistGradientBoostingRegressor per store over all its items.
  It learns the ratio of a day's sales to the item's level from calendar features, the item (as a
  category) and the item's own lagged demand. Every demand feature of a day d is at least
  `lag_days` old (lag_days >= the horizon), so a day in the horizon needs nothing after the
  forecast origin, and the same fitted model serves every horizon day: its error does not grow with
  the horizon the way a per-series model's does.

Each function takes the training rows of one group as a pandas frame (store_id, item_id,
training_date, sales_date, sales_qty; days up to the training date only) and returns rows of the
schema of casebook.forecasting.series (FORECAST_COLUMNS or CV_COLUMNS). Forecasts are clipped at 0.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from casebook.forecasting.series import (
    CV_COLUMNS,
    FORECAST_COLUMNS,
    ForecastConfig,
    _history,
    _keys,
    _no_rows,
    cv_cutoffs,
    series_seed,
)

__all__ = [
    "POOLED_GBM",
    "POOLED_MULTIPLICATIVE",
    "STATISTICAL_HISTORY_DAYS",
    "STATISTICAL_MODELS",
    "cross_validate_pooled_store",
    "cross_validate_statistical_series",
    "fit_multiplicative",
    "fit_pooled",
    "forecast_pooled_store",
    "forecast_statistical_series",
    "multiplicative_forecast",
    "pooled_features",
    "pooled_lag_days",
    "statistical_forecast",
]

SEASON_DAYS = 7
STATISTICAL_HISTORY_DAYS = 728  # 104 whole weeks: what ets and theta are fitted to
MIN_HISTORY_DAYS = 365  # as Prophet's cross-validation: a cutoff with less history is left out
POOLED_GBM = "pooled_gbm"
LEVEL_DAYS = 364  # 52 whole weeks: every weekday counts equally in the level
RECENT_DAYS = 28
LAST_YEAR_DAYS = 364  # the same weekday a year earlier
FEATURES = [
    "item_id",
    "day_of_week",
    "day_of_month",
    "day_of_year",
    "month",
    "level_qty",
    "recent_ratio",
    "last_year_ratio",
]
# The gradient-boosting settings: fixed (no early stopping, so no random validation split), deterministic.
GBM_PARAMS: dict[str, object] = {
    "loss": "squared_error",
    "learning_rate": 0.1,
    "max_iter": 100,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 40,
    "l2_regularization": 1.0,
    "early_stopping": False,
}
GBM_TRAINING_DAYS = 730  # the pooled model learns from the last two years of each store
_log = logging.getLogger(__name__)


def _statsforecast_models() -> dict[str, Callable[[], object]]:
    from statsforecast.models import AutoETS, Theta

    return {
        "ets": lambda: AutoETS(season_length=SEASON_DAYS, model="ANA"),
        "theta": lambda: Theta(season_length=SEASON_DAYS),
    }


STATISTICAL_MODELS = ("ets", "theta")


def statistical_forecast(history: np.ndarray, horizon: int, name: str) -> np.ndarray:
    """The `horizon` point forecasts of statsforecast's model `name` fitted to the last
    STATISTICAL_HISTORY_DAYS of `history`, clipped at 0."""
    model = _statsforecast_models()[name]()
    recent = np.asarray(history, dtype=float)[-STATISTICAL_HISTORY_DAYS:]
    mean = model.forecast(y=recent, h=horizon)["mean"]
    return np.clip(np.asarray(mean, dtype=float), 0.0, None)


def _forecast_rows(
    keys: tuple[int, int, date], model_name: str, days: pd.Series, yhat: np.ndarray, seed: int
) -> pd.DataFrame:
    store_id, item_id, training_date = keys
    return pd.DataFrame(
        {
            "store_id": store_id,
            "item_id": item_id,
            "training_date": training_date,
            "model_name": model_name,
            "sales_date": pd.to_datetime(days).dt.date.to_numpy(),
            "is_forecast": True,
            "yhat": np.asarray(yhat, dtype=float),
            "yhat_lower": np.nan,
            "yhat_upper": np.nan,
            "yhat_sigma": np.nan,
            "model_seed": seed,
        },
        columns=list(FORECAST_COLUMNS),
    )


def _cv_rows(
    keys: tuple[int, int, date], model_name: str, cutoff: date, after: pd.DataFrame, yhat: np.ndarray
) -> pd.DataFrame:
    store_id, item_id, training_date = keys
    return pd.DataFrame(
        {
            "store_id": store_id,
            "item_id": item_id,
            "training_date": training_date,
            "model_name": model_name,
            "cutoff_date": cutoff,
            "sales_date": after["ds"].dt.date.to_numpy(),
            "horizon_days": (after["ds"] - pd.Timestamp(cutoff)).dt.days.to_numpy().astype(np.int32),
            "sales_qty": after["y"].to_numpy(dtype=float),
            "yhat": np.asarray(yhat, dtype=float),
        },
        columns=list(CV_COLUMNS),
    )


def _future_days(last: pd.Timestamp, periods: int) -> pd.Series:
    return pd.Series(pd.date_range(last + pd.Timedelta(days=1), periods=periods, freq="D"))


def forecast_statistical_series(series: pd.DataFrame, config: ForecastConfig) -> pd.DataFrame:
    """Each statistical model's forecast of one series over the horizon (a failing one is logged)."""
    keys = _keys(series)
    history = _history(series)
    seed = series_seed(config.seed, keys[0], keys[1])
    days = _future_days(history["ds"].max(), config.horizon_days)
    frames = []
    for name in STATISTICAL_MODELS:
        try:
            yhat = statistical_forecast(history["y"].to_numpy(), config.horizon_days, name)
        except Exception:
            _log.exception("%s fit failed for store %s item %s", name, keys[0], keys[1])
            continue
        frames.append(_forecast_rows(keys, name, days, yhat, seed))
    return pd.concat(frames, ignore_index=True) if frames else _no_rows(FORECAST_COLUMNS)


def cross_validate_statistical_series(series: pd.DataFrame, config: ForecastConfig) -> pd.DataFrame:
    """Rolling-origin CV of the statistical models: the cutoffs of Prophet's CV, the same horizon."""
    keys = _keys(series)
    history = _history(series)
    frames = []
    for cutoff in cv_cutoffs(keys[2], config.cv_cutoffs, config.cv_period_days, config.cv_horizon_days):
        before = history[history["ds"] <= pd.Timestamp(cutoff)]
        after = history[history["ds"] > pd.Timestamp(cutoff)].iloc[: config.cv_horizon_days]
        if len(before) < MIN_HISTORY_DAYS or after.empty:
            continue
        for name in STATISTICAL_MODELS:
            try:
                yhat = statistical_forecast(before["y"].to_numpy(), len(after), name)
            except Exception:
                _log.exception("%s CV fit failed for store %s item %s cutoff %s", name, *keys[:2], cutoff)
                continue
            frames.append(_cv_rows(keys, name, cutoff, after, yhat))
    return pd.concat(frames, ignore_index=True)[list(CV_COLUMNS)] if frames else _no_rows(CV_COLUMNS)


def pooled_lag_days(config: ForecastConfig) -> int:
    """How old every demand feature is: at least the horizon (and the CV horizon), so nothing after the
    forecast origin is ever needed."""
    return max(config.horizon_days, config.cv_horizon_days)


def pooled_features(history: pd.DataFrame, origin: pd.Timestamp, horizon: int, lag_days: int) -> pd.DataFrame:
    """One row per item and day, from each item's first day to origin + horizon: calendar, item and
    demand features (each from days at least `lag_days` before the row's day), and the target.

    `history` has columns item_id, ds, y with days up to `origin` only; y is null after it.
    """
    if lag_days < horizon:
        raise ValueError(f"lag_days ({lag_days}) must be at least the horizon ({horizon})")
    frames = []
    for item_id, own in history.groupby("item_id", sort=True):
        days = pd.date_range(own["ds"].min(), origin + pd.Timedelta(days=horizon), freq="D")
        sales = own.set_index("ds")["y"].astype(float).reindex(days)
        sales[days > origin] = np.nan  # never a value after the origin, whatever the input held
        lagged = sales.shift(lag_days)
        level = lagged.rolling(LEVEL_DAYS, min_periods=RECENT_DAYS).mean()
        recent = lagged.rolling(RECENT_DAYS, min_periods=SEASON_DAYS).mean()
        last_year = sales.shift(LAST_YEAR_DAYS) if lag_days <= LAST_YEAR_DAYS else pd.Series(np.nan, days)
        frames.append(
            pd.DataFrame(
                {
                    "item_id": item_id,
                    "ds": days,
                    "y": sales.to_numpy(),
                    "day_of_week": days.dayofweek,
                    "day_of_month": days.day,
                    "day_of_year": days.dayofyear,
                    "month": days.month,
                    "level_qty": level.to_numpy(),
                    "recent_ratio": (recent / level).to_numpy(),
                    "last_year_ratio": (last_year / level).to_numpy(),
                }
            )
        )
    features = pd.concat(frames, ignore_index=True)
    features["item_id"] = pd.Categorical(features["item_id"], categories=sorted(history["item_id"].unique()))
    return features


def fit_pooled(train: pd.DataFrame, seed: int):
    """A HistGradientBoostingRegressor of y / level_qty on FEATURES (rows with a positive level), on one
    thread: Spark already runs one worker per core, and OpenMP threads on a busy machine spin for seconds."""
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    recent = train["ds"] > train["ds"].max() - pd.Timedelta(days=GBM_TRAINING_DAYS)
    rows = train[recent & (train["level_qty"] > 0) & train["y"].notna()]
    categorical = "from_dtype" if rows["item_id"].cat.categories.size < 255 else None
    features = rows[FEATURES] if categorical else rows[FEATURES].assign(item_id=rows["item_id"].astype(int))
    model = HistGradientBoostingRegressor(**GBM_PARAMS, categorical_features=categorical, random_state=seed)
    with threadpool_limits(1):
        return model.fit(features, rows["y"] / rows["level_qty"])


def predict_pooled(model, rows: pd.DataFrame) -> np.ndarray:
    """Sales forecasts: the predicted ratio times the level, clipped at 0 (0 where the item has no level)."""
    features = rows[FEATURES]
    if model.categorical_features is None:
        features = features.assign(item_id=rows["item_id"].astype(int))
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        ratio = model.predict(features)
    return np.clip(np.nan_to_num(ratio * rows["level_qty"].to_numpy(), nan=0.0), 0.0, None)


def _store_history(group: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_id": group["item_id"].astype(int).to_numpy(),
            "ds": pd.to_datetime(group["sales_date"]).to_numpy(),
            "y": group["sales_qty"].astype(float).to_numpy(),
        }
    )


def _gbm_run(
    history: pd.DataFrame, origin: pd.Timestamp, horizon: int, lag_days: int, seed: int
) -> pd.DataFrame:
    """Fit on the days up to `origin`, predict the `horizon` days after it: item_id, ds, yhat."""
    features = pooled_features(history[history["ds"] <= origin], origin, horizon, lag_days)
    model = fit_pooled(features[features["ds"] <= origin], seed)
    ahead = features[features["ds"] > origin]
    yhat = predict_pooled(model, ahead)
    return ahead.assign(item_id=ahead["item_id"].astype(int), yhat=yhat)[["item_id", "ds", "yhat"]]


def _pooled_runs(
    history: pd.DataFrame, origin: pd.Timestamp, horizon: int, config: ForecastConfig, store_id: int
) -> dict[str, pd.DataFrame]:
    """Both pooled models of one store from one origin; a failing model is logged and left out."""
    runs: dict[str, pd.DataFrame] = {}
    seed = series_seed(config.seed, store_id, POOLED_GBM)
    fits: dict[str, Callable[[], pd.DataFrame]] = {
        POOLED_GBM: lambda: _gbm_run(history, origin, horizon, pooled_lag_days(config), seed),
        POOLED_MULTIPLICATIVE: lambda: multiplicative_forecast(history, origin, horizon),
    }
    for name, fit in fits.items():
        try:
            runs[name] = fit()
        except Exception:
            _log.exception("%s failed for store %s origin %s", name, store_id, origin.date())
    return runs


def forecast_pooled_store(group: pd.DataFrame, config: ForecastConfig) -> pd.DataFrame:
    """The pooled models' forecasts of every item of one store over the horizon (one fit per store)."""
    store_id = int(group["store_id"].iloc[0])
    training_date = pd.Timestamp(group["training_date"].iloc[0])
    seed = series_seed(config.seed, store_id, POOLED_GBM)
    runs = _pooled_runs(_store_history(group), training_date, config.horizon_days, config, store_id)
    frames = [
        _forecast_rows((store_id, int(item_id), training_date.date()), name, own["ds"], own["yhat"], seed)
        for name, ahead in runs.items()
        for item_id, own in ahead.groupby("item_id")
    ]
    return pd.concat(frames, ignore_index=True) if frames else _no_rows(FORECAST_COLUMNS)


def cross_validate_pooled_store(group: pd.DataFrame, config: ForecastConfig) -> pd.DataFrame:
    """Rolling-origin CV of the pooled models: one refit per store and cutoff (Prophet's cutoffs); an item
    with less than MIN_HISTORY_DAYS before a cutoff is left out there, as in the per-series CV."""
    store_id = int(group["store_id"].iloc[0])
    training_date = pd.Timestamp(group["training_date"].iloc[0]).date()
    history = _store_history(group)
    frames = []
    for cutoff in cv_cutoffs(training_date, config.cv_cutoffs, config.cv_period_days, config.cv_horizon_days):
        origin = pd.Timestamp(cutoff)
        end = origin + pd.Timedelta(days=config.cv_horizon_days)
        actual = history[(history["ds"] > origin) & (history["ds"] <= end)]
        long_enough = history[history["ds"] <= origin].groupby("item_id").size() >= MIN_HISTORY_DAYS
        for name, ahead in _pooled_runs(history, origin, config.cv_horizon_days, config, store_id).items():
            merged = ahead.merge(actual, on=["item_id", "ds"], how="inner").sort_values(["item_id", "ds"])
            for item_id, own in merged.groupby("item_id"):
                if long_enough.get(item_id, False):
                    keys = (store_id, int(item_id), training_date)
                    frames.append(_cv_rows(keys, name, cutoff, own, own["yhat"].to_numpy()))
    return pd.concat(frames, ignore_index=True)[list(CV_COLUMNS)] if frames else _no_rows(CV_COLUMNS)


POOLED_MULTIPLICATIVE = "pooled_multiplicative"
FIT_ITERATIONS = 20
EFFECTS = ("item", "year", "month", "weekday")


def _effect_keys(days: pd.Series | pd.DatetimeIndex, items: pd.Series | np.ndarray) -> dict[str, np.ndarray]:
    days = pd.DatetimeIndex(days)
    return {
        "item": np.asarray(items),
        "year": days.year.to_numpy(),
        "month": days.month.to_numpy(),
        "weekday": days.dayofweek.to_numpy(),
    }


def fit_multiplicative(history: pd.DataFrame) -> dict[str, pd.Series]:
    """sales = item level x calendar-year effect x month effect x weekday effect, shared by the pool.

    Fitted by iterative proportional fitting, the Poisson maximum-likelihood fixed point: each effect
    in turn becomes (sales in its cells) / (what the other effects predict there). history: item_id,
    ds, y. Returns one Series per effect, indexed by its key.
    """
    keys = _effect_keys(history["ds"], history["item_id"].to_numpy())
    y = history["y"].to_numpy(dtype=float)
    effects = {name: pd.Series(1.0, index=np.unique(keys[name])) for name in EFFECTS}
    for _ in range(FIT_ITERATIONS):
        for name in EFFECTS:
            others = np.ones_like(y)
            for other in EFFECTS:
                if other != name:
                    others *= effects[other].reindex(keys[other]).to_numpy()
            sums = pd.DataFrame({"key": keys[name], "y": y, "fit": others}).groupby("key")[["y", "fit"]].sum()
            effects[name] = (sums["y"] / sums["fit"]).where(sums["fit"] > 0, 0.0)
        for name in ("year", "month", "weekday"):  # identifiable: the item level carries the scale
            scale = float(effects[name].mean()) or 1.0
            effects[name] = effects[name] / scale
            effects["item"] = effects["item"] * scale
    return effects


def _year_effects(years: pd.Series, wanted: np.ndarray) -> pd.Series:
    """Fitted year effects, extended to later years by the last year-on-year growth."""
    known = years.sort_index()
    growth = float(known.iloc[-1] / known.iloc[-2]) if len(known) > 1 and known.iloc[-2] > 0 else 1.0
    last_year, last = int(known.index[-1]), float(known.iloc[-1])
    extra = {
        int(y): last * growth ** (int(y) - last_year) for y in set(wanted.tolist()) if int(y) > last_year
    }
    return pd.concat([known, pd.Series(extra, dtype=float)]) if extra else known


def multiplicative_forecast(history: pd.DataFrame, origin: pd.Timestamp, horizon: int) -> pd.DataFrame:
    """The pool's multiplicative model (fit_multiplicative) on the days up to `origin`, forecast over the
    `horizon` days after it: item_id, ds, yhat. A year not yet seen gets the last year's effect grown
    by the last year-on-year growth."""
    rows = history[history["ds"] <= origin]
    effects = fit_multiplicative(rows)
    days = pd.date_range(origin + pd.Timedelta(days=1), periods=horizon, freq="D")
    keys = _effect_keys(days, np.zeros(horizon))
    shape = (
        _year_effects(effects["year"], keys["year"]).reindex(keys["year"]).to_numpy()
        * effects["month"].reindex(keys["month"]).fillna(1.0).to_numpy()
        * effects["weekday"].reindex(keys["weekday"]).fillna(1.0).to_numpy()
    )
    frames = [
        pd.DataFrame({"item_id": int(item_id), "ds": days, "yhat": np.clip(level * shape, 0.0, None)})
        for item_id, level in effects["item"].items()
    ]
    return pd.concat(frames, ignore_index=True)
