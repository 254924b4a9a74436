"""pandas' describe() over pod trips, on Spark: one row per trip measure."""

from casebook.pods.trips import describe_trips


def model(dbt, session):
    dbt.config(materialized="table")
    return describe_trips(dbt.ref("int_pods__trip_stats_pandas"))
