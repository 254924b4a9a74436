"""Per pod-trip time, distance and speeds with the pandas API on Spark (chapter 8's Koalas code)."""

from casebook.pods.trips import trip_stats


def model(dbt, session):
    dbt.config(materialized="table")
    return trip_stats(dbt.ref("stg_pods__telemetry"))
