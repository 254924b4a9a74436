"""Monte Carlo lead-time demand and stock policy, one row per (location, material) (chapter 10).

Each series' daily demand history is bootstrapped over its lead time (vars inventory_*, passed in
through the model's meta in _inventory__models.yml); the work runs per series on the executors.
"""

from casebook.inventory.montecarlo import PolicySettings
from casebook.inventory.simulate import simulate_lead_time_demand


def model(dbt, session):
    dbt.config(materialized="table")
    settings = PolicySettings(
        iterations=int(dbt.config.meta_get("iterations")),
        service_level=float(dbt.config.meta_get("service_level")),
        review_period_days=int(dbt.config.meta_get("review_period_days")),
        seed=int(dbt.config.meta_get("seed")),
    )
    return simulate_lead_time_demand(
        issues=dbt.ref("stg_inventory__issues"),
        materials=dbt.ref("stg_inventory__materials"),
        stock=dbt.ref("stg_inventory__stock"),
        settings=settings,
        history_days=int(dbt.config.meta_get("history_days")),
        as_of_date=dbt.config.meta_get("as_of_date") or None,
    )
