"""Casebook's forecasts on the real Kaggle store-item data equal Prophet called directly.

Reads ../shared/data/store_item_demand/demand-forecasting-kernels-only.zip through Casebook's loader
(skipped cleanly when the folder is absent), trains through 2017-09-30 like the docs' figures and
forecasts 90 days with the dbt defaults (US holidays, 95 % interval, 1,000 samples, seed 42).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from prophet import Prophet

from casebook.data.forecasting import read_store_item_demand
from casebook.forecasting.metrics import mape
from casebook.forecasting.prophet_fit import series_seed
from casebook.forecasting.series import forecast_series
from casebook.forecasting.settings import ForecastingSettings
from casebook.settings import from_project
from pytests.conftest import require_real_data

TRAINING_DATE = date(2017, 9, 30)
SERIES = [(1, 1), (4, 28), (10, 50)]


@pytest.fixture(scope="module")
def kaggle() -> pd.DataFrame:
    return read_store_item_demand(require_real_data("store_item_demand"))


def test_the_loader_reads_the_whole_kaggle_file(kaggle) -> None:
    assert len(kaggle) == 913_000
    assert int(kaggle["sales"].sum()) == 47_704_512
    assert kaggle[["store", "item"]].drop_duplicates().shape[0] == 500
    assert kaggle["date"].min() == date(2013, 1, 1) and kaggle["date"].max() == date(2017, 12, 31)


@pytest.mark.parametrize(("store_id", "item_id"), SERIES)
def test_casebook_forecast_equals_prophet_called_directly(kaggle, store_id: int, item_id: int) -> None:
    own = kaggle[(kaggle["store"] == store_id) & (kaggle["item"] == item_id)].sort_values("date")
    training = own[own["date"] <= TRAINING_DATE]
    series = pd.DataFrame(
        {
            "store_id": store_id,
            "item_id": item_id,
            "training_date": TRAINING_DATE,
            "sales_date": training["date"].to_numpy(),
            "sales_qty": training["sales"].astype("int64").to_numpy(),
        }
    )
    rows = forecast_series(series, from_project(ForecastingSettings).forecast_config())
    forecast = rows[(rows["model_name"] == "prophet") & rows["is_forecast"]]

    history = pd.DataFrame({"ds": pd.to_datetime(training["date"]), "y": training["sales"].astype(float)})
    model = Prophet(
        growth="linear",
        yearly_seasonality=True,
        weekly_seasonality=True,
        daily_seasonality=False,
        seasonality_mode="multiplicative",
        interval_width=0.95,
        uncertainty_samples=1000,
    )
    model.add_country_holidays(country_name="US")
    seed = series_seed(42, store_id, item_id)
    model.fit(history, seed=seed)
    np.random.seed(seed)
    direct = model.predict(model.make_future_dataframe(periods=90, include_history=False))

    assert forecast["sales_date"].tolist() == direct["ds"].dt.date.tolist()
    for column in ("yhat", "yhat_lower", "yhat_upper"):
        assert forecast[column].to_numpy() == pytest.approx(direct[column].to_numpy(), rel=1e-9)
    actual = own[own["date"] > TRAINING_DATE].head(90)["sales"].astype(float).to_numpy()
    assert mape(actual, forecast["yhat"].to_numpy()) < 30  # Kaggle's series are smooth: Prophet does well
