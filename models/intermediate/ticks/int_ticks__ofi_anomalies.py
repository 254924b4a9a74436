"""Order-flow-imbalance anomalies: 10-second buckets outside the tails of a per-symbol fit."""

from casebook.settings import load
from casebook.ticks.ofi import ofi_anomalies_by_symbol
from casebook.ticks.settings import TicksSettings


def model(dbt, session):
    dbt.config(materialized="table")
    settings = load(TicksSettings)
    return ofi_anomalies_by_symbol(
        dbt.ref("fct_order_flow_imbalance_10s"),
        lower_quantile=settings.ofi_anomaly_lower_quantile,
        upper_quantile=settings.ofi_anomaly_upper_quantile,
    )
