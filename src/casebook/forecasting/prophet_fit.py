"""Fit and predict one Prophet model, deterministically (generic: any ds/y series, any frequency).

Prophet finds its parameters by MAP optimisation (L-BFGS from a fixed start: no randomness), but its
uncertainty interval simulates `uncertainty_samples` future trend paths with numpy's global random
generator. `predict` therefore seeds that generator right before predicting, so the same history,
settings and seed always give the same yhat, yhat_lower and yhat_upper.

    settings = ProphetSettings(interval_width=0.95, uncertainty_samples=1000, holiday_country="US")
    model = fit_prophet(history, settings, seed=7)          # history: columns ds, y
    forecast = predict(model, future_dates(history, 90), seed=7)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from casebook.seeding import stable_seed

if TYPE_CHECKING:
    from prophet import Prophet

__all__ = [
    "FORECAST_COLUMNS",
    "ProphetSettings",
    "fit_prophet",
    "future_dates",
    "make_prophet",
    "predict",
    "quiet_prophet_logs",
    "series_seed",
    "with_array_data",
]

# Prophet logs an error on import when plotly (optional, for its plots) is missing: not an error here.
logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)

FORECAST_COLUMNS = ["ds", "yhat", "yhat_lower", "yhat_upper"]


@dataclass(frozen=True)
class ProphetSettings:
    """How every series' model is built (chapter 6's notebook: linear growth, multiplicative seasonality).

    The interval and holidays are settings (dbt vars forecasting_*); the model's shape is the chapter's.
    """

    interval_width: float
    uncertainty_samples: int
    holiday_country: str | None
    growth: str = "linear"
    yearly_seasonality: bool = True
    weekly_seasonality: bool = True
    daily_seasonality: bool = False
    seasonality_mode: str = "multiplicative"

    def __post_init__(self) -> None:
        if not 0 < self.interval_width < 1:
            raise ValueError(f"interval_width must lie strictly between 0 and 1, got {self.interval_width}")
        if self.uncertainty_samples < 0:
            raise ValueError(f"uncertainty_samples must not be negative, got {self.uncertainty_samples}")
        if self.seasonality_mode not in {"additive", "multiplicative"}:
            raise ValueError(
                f"seasonality_mode must be additive or multiplicative, got {self.seasonality_mode!r}"
            )


def quiet_prophet_logs() -> None:
    """Silence cmdstanpy's per-fit INFO lines and Prophet's notes (call inside each Spark worker)."""
    from cmdstanpy.utils import get_logger

    get_logger().setLevel(logging.WARNING)  # configures its handler first, so the level sticks
    logging.getLogger("prophet").setLevel(logging.WARNING)


def series_seed(global_seed: int, *keys: object) -> int:
    """A 31-bit seed for one series: SHA-256 of (global seed, keys), stable across processes and runs.

    31 bits because numpy's legacy global generator (which Prophet samples from) takes at most 2**32 - 1.
    """
    return stable_seed(global_seed, *keys, bits=31)


# The keys of Stan's data and inits in the order Prophet's backend writes them, and those it hands
# over unchanged (numbers, and the list of prior scales); it turns the others into lists.
_DATA_KEYS = (
    *("T", "S", "K", "tau", "trend_indicator"),
    *("y", "t", "cap", "t_change", "s_a", "s_m", "X", "sigmas"),
)
_INIT_KEYS = ("k", "m", "delta", "beta", "sigma_obs")
_AS_THEY_ARE = {"T", "S", "K", "tau", "trend_indicator", "sigmas", "k", "m", "sigma_obs"}


def _stan_value(values: dict[str, Any], key: str) -> Any:
    """values[key] as Prophet's backend hands it to Stan, but a numpy array where it makes a list."""
    value = values[key]
    if key in _AS_THEY_ARE:
        return value
    return value.to_numpy() if isinstance(value, pd.DataFrame) else np.asarray(value)


@cache
def _array_data_backend() -> type:
    """Prophet's cmdstanpy backend, handing Stan its data as numpy arrays where Prophet hands lists.

    stanio writes Stan's JSON data file: an array goes to text in one call, a list of lists of floats
    is walked value by value in Python first (a sixteenth of a forecast's time, an eighth of a CV
    refit's, docs/benchmarks.md). The file holds the same bytes either way, so the fit gives the same
    parameters (pytests/forecasting/test_stan_data.py).
    """
    from prophet.models import CmdStanPyBackend

    class ArrayDataBackend(CmdStanPyBackend):
        @staticmethod
        def prepare_data(init: dict[str, Any], data: dict[str, Any]) -> tuple[dict, dict]:
            stan_data = {key: _stan_value(data, key) for key in _DATA_KEYS}
            stan_init = {key: _stan_value(init, key) for key in _INIT_KEYS}
            return stan_init, stan_data

    return ArrayDataBackend


def with_array_data(model: Prophet) -> Prophet:
    """`model`, fitting through the backend that hands Stan arrays (same data file, written faster)."""
    model.stan_backend = _array_data_backend()()
    return model


def make_prophet(settings: ProphetSettings) -> Prophet:
    """An unfitted Prophet model with `settings` (and the country's holidays, when one is set)."""
    from prophet import Prophet

    model = Prophet(
        growth=settings.growth,
        yearly_seasonality=settings.yearly_seasonality,
        weekly_seasonality=settings.weekly_seasonality,
        daily_seasonality=settings.daily_seasonality,
        seasonality_mode=settings.seasonality_mode,
        interval_width=settings.interval_width,
        uncertainty_samples=settings.uncertainty_samples,
    )
    if settings.holiday_country:
        model.add_country_holidays(country_name=settings.holiday_country)
    return with_array_data(model)


def fit_prophet(history: pd.DataFrame, settings: ProphetSettings, seed: int) -> Prophet:
    """A Prophet model fitted to `history` (columns ds, y); `seed` also goes to Stan's optimiser."""
    quiet_prophet_logs()
    model = make_prophet(settings)
    return model.fit(history[["ds", "y"]], seed=seed)


def future_dates(history: pd.DataFrame, periods: int, freq: str = "D") -> pd.DataFrame:
    """The `ds` frame of the `periods` steps after the history's last date (Prophet's make_future_dataframe
    with include_history=False)."""
    last = pd.Timestamp(history["ds"].max())
    return pd.DataFrame({"ds": pd.date_range(last, periods=periods + 1, freq=freq)[1:]})


def predict(model: Prophet, future: pd.DataFrame, seed: int, intervals: bool = True) -> pd.DataFrame:
    """ds, yhat, yhat_lower, yhat_upper for `future`, with the interval's sampling seeded by `seed`.

    Without intervals (`intervals=False`, or a model with uncertainty_samples=0) Prophet draws
    nothing and the bounds are null. yhat does not depend on intervals or seed.
    """
    samples = model.uncertainty_samples
    model.uncertainty_samples = samples if intervals else 0
    try:
        np.random.seed(seed)  # Prophet samples from numpy's global generator; nothing else in a worker does
        forecast = model.predict(future)
    finally:
        model.uncertainty_samples = samples
    for bound in ("yhat_lower", "yhat_upper"):
        if bound not in forecast:
            forecast[bound] = np.nan
    return forecast[FORECAST_COLUMNS].reset_index(drop=True)
