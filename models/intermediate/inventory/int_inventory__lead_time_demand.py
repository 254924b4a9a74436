"""Monte Carlo lead-time demand and stock policy, one row per (location, material) (chapter 10).

Each series' daily demand history is bootstrapped over its lead time (vars inventory_*); the work
runs per series on the executors.
"""

from casebook.inventory.settings import InventorySettings
from casebook.inventory.simulate import OUTPUT_SCHEMA, simulate_lead_time_demand
from casebook.settings import load

# `dbt build --empty` does not run this model (no stock, no as-of date): its table gets this schema.
EMPTY_SCHEMA = OUTPUT_SCHEMA


def model(dbt, session):
    dbt.config(materialized="table")
    settings = load(InventorySettings)
    return simulate_lead_time_demand(
        issues=dbt.ref("stg_inventory__issues"),
        materials=dbt.ref("stg_inventory__materials"),
        stock=dbt.ref("stg_inventory__stock"),
        settings=settings.policy(),
        history_days=settings.history_days,
        as_of_date=settings.as_of_date,
    )
