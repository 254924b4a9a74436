"""The chapter 5 bake-off: four models forecast every top station's next hours (one row per model and hour).

Prophet, Prophet with weather, a random forest on time features and one on time and weather features
are fitted per station on the executors (applyInPandas), with the vars stations_*.
"""

from casebook.settings import load
from casebook.stations.bakeoff import OUTPUT_SCHEMA, forecast_stations, resolve_forecast_start
from casebook.stations.settings import StationsSettings

# `dbt build --empty` does not run this model (no demand, no forecast start): its table gets this schema.
EMPTY_SCHEMA = OUTPUT_SCHEMA


def model(dbt, session):
    dbt.config(materialized="table")
    settings = load(StationsSettings)
    hourly_demand = dbt.ref("int_stations__hourly_demand")
    start = resolve_forecast_start(hourly_demand, settings.forecast_start_ts, settings.horizon_hours)
    return forecast_stations(hourly_demand, settings.bakeoff(start))
