"""Order-flow imbalance anomalies: fit candidate distributions per symbol, flag the tails."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from casebook.spark import apply_per_group

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

# Candidates named as the mart shows them. Student t and Laplace have the heavy tails OFI shows.
CANDIDATES: dict[str, stats.rv_continuous] = {
    "normal": stats.norm,
    "student_t": stats.t,
    "laplace": stats.laplace,
}
MIN_BUCKETS_TO_FIT = 30
ANOMALY_SCHEMA = (
    "symbol string, bucket_start_ts timestamp, trade_date date, order_flow_imbalance bigint, "
    "distribution string, distribution_params string, ks_statistic double, "
    "lower_bound double, upper_bound double, direction string"
)


@dataclass(frozen=True)
class Fit:
    """The best-fitting candidate for one sample and how well it fits (Kolmogorov-Smirnov D)."""

    distribution: str
    params: tuple[float, ...]
    ks_statistic: float

    def ppf(self, quantile: float) -> float:
        return float(CANDIDATES[self.distribution].ppf(quantile, *self.params))

    def params_json(self) -> str:
        names = _param_names(self.distribution)
        return json.dumps(dict(zip(names, (round(p, 12) for p in self.params), strict=True)))


def _param_names(distribution: str) -> list[str]:
    shapes = CANDIDATES[distribution].shapes
    return [*(shapes.split(", ") if shapes else []), "loc", "scale"]


def best_fit(values: np.ndarray) -> Fit:
    """Fit every candidate by maximum likelihood; keep the one with the smallest KS statistic."""
    fits = []
    for name, distribution in CANDIDATES.items():
        params = tuple(float(p) for p in distribution.fit(values))
        statistic = stats.kstest(values, distribution.cdf, args=params).statistic
        fits.append(Fit(name, params, float(statistic)))
    return min(fits, key=lambda fit: (fit.ks_statistic, fit.distribution))


def flag_anomalies(buckets: pd.DataFrame, lower_quantile: float, upper_quantile: float) -> pd.DataFrame:
    """The buckets of one symbol whose imbalance lies outside the fitted distribution's quantiles.

    A symbol with fewer than MIN_BUCKETS_TO_FIT buckets, or no variation, has nothing to fit:
    it yields no anomalies rather than a meaningless fit.
    """
    values = buckets["order_flow_imbalance"].to_numpy(dtype=float)
    if len(values) < MIN_BUCKETS_TO_FIT or np.ptp(values) == 0:
        return pd.DataFrame(columns=[field.split()[0] for field in ANOMALY_SCHEMA.split(", ")])
    fit = best_fit(values)
    lower, upper = fit.ppf(lower_quantile), fit.ppf(upper_quantile)
    outside = buckets[(values < lower) | (values > upper)]
    return pd.DataFrame(
        {
            "symbol": outside["symbol"],
            "bucket_start_ts": outside["bucket_start_ts"],
            "trade_date": outside["trade_date"],
            "order_flow_imbalance": outside["order_flow_imbalance"],
            "distribution": fit.distribution,
            "distribution_params": fit.params_json(),
            "ks_statistic": fit.ks_statistic,
            "lower_bound": lower,
            "upper_bound": upper,
            "direction": np.where(outside["order_flow_imbalance"] > upper, "buy_pressure", "sell_pressure"),
        }
    )


def ofi_anomalies_by_symbol(buckets: DataFrame, lower_quantile: float, upper_quantile: float) -> DataFrame:
    """Anomalous order-flow-imbalance buckets, one distribution fitted per symbol on Spark."""
    columns = ["symbol", "bucket_start_ts", "trade_date", "order_flow_imbalance"]
    return apply_per_group(
        buckets.select(*columns),
        ["symbol"],
        partial(flag_anomalies, lower_quantile=lower_quantile, upper_quantile=upper_quantile),
        ANOMALY_SCHEMA,
    )
