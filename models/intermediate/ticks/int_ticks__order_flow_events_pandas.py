"""The order-flow-imbalance chain on the pandas API on Spark: the twin of the SQL model."""

from casebook.spark import to_spark
from casebook.ticks.ofi_pandas import order_flow_events


def model(dbt, session):
    dbt.config(materialized="table")
    quotes = dbt.ref("int_ticks__quotes_one_per_timestamp").pandas_api()
    return to_spark(order_flow_events(quotes))
