"""Order-flow-imbalance anomalies: 10-second buckets outside the tails of a per-symbol fit."""

from casebook.ticks.ofi import ofi_anomalies_by_symbol


def model(dbt, session):
    dbt.config(materialized="table")
    buckets = dbt.ref("fct_order_flow_imbalance_10s")
    return ofi_anomalies_by_symbol(
        buckets,
        lower_quantile=float(dbt.config.get("lower_quantile")),
        upper_quantile=float(dbt.config.get("upper_quantile")),
    )
