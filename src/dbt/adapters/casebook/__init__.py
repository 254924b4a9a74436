"""dbt adapter `casebook`: dbt-spark with Python models run in-process on the embedded SparkSession."""

from dbt.adapters.base import AdapterPlugin

from dbt.adapters.casebook.connections import CasebookConnectionManager, CasebookCredentials
from dbt.adapters.casebook.impl import CasebookAdapter
from dbt.include import casebook

Plugin = AdapterPlugin(
    adapter=CasebookAdapter,  # type: ignore[arg-type]
    credentials=CasebookCredentials,
    include_path=casebook.PACKAGE_PATH,
    dependencies=["spark"],
)

__all__ = ["CasebookAdapter", "CasebookConnectionManager", "CasebookCredentials", "Plugin"]
