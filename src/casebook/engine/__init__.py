"""The embedded engine: one SparkSession with Delta Lake and a persistent metastore under the project."""

from casebook.engine.session import (
    EngineConfigError,
    EngineSettings,
    MetastoreBusyError,
    get_spark,
    stop_spark,
)

__all__ = ["EngineConfigError", "EngineSettings", "MetastoreBusyError", "get_spark", "stop_spark"]
