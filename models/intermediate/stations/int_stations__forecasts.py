"""The chapter 5 bake-off: four models forecast every top station's next hours (one row per model and hour).

Prophet, Prophet with weather, a random forest on time features and one on time and weather features
are fitted per station on the executors (applyInPandas); vars stations_* arrive through the model's
meta in _stations__models.yml.
"""

from casebook.stations.bakeoff import BakeoffSettings, forecast_stations, resolve_forecast_start


def model(dbt, session):
    dbt.config(materialized="table")
    hourly_demand = dbt.ref("int_stations__hourly_demand")
    horizon_hours = int(dbt.config.meta_get("horizon_hours"))
    settings = BakeoffSettings(
        forecast_start=resolve_forecast_start(
            hourly_demand, dbt.config.meta_get("forecast_start") or None, horizon_hours
        ),
        history_days=int(dbt.config.meta_get("history_days")),
        horizon_hours=horizon_hours,
        seed=int(dbt.config.meta_get("seed")),
        trees=int(dbt.config.meta_get("trees")),
        holiday_country=dbt.config.meta_get("holiday_country"),
    )
    return forecast_stations(hourly_demand, settings)
