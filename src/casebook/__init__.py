"""Casebook: the data-science use cases of the Big Book as one tested dbt lineage graph on Spark."""

__version__ = "0.1.0"
