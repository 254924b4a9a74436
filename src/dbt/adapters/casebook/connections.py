"""Credentials and connections: dbt-spark's, with the `session` method starting Casebook's engine."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dbt.adapters.contracts.connection import Connection
from dbt.adapters.events.logging import AdapterLogger
from dbt.adapters.spark.connections import (
    SparkConnectionManager,
    SparkConnectionMethod,
    SparkCredentials,
)
from dbt_common.exceptions import DbtRuntimeError

from casebook import paths
from casebook.engine import EngineConfigError, EngineSettings, MetastoreBusyError, get_spark, secrets
from casebook.engine.faults import debugging, engine_fault
from casebook.engine.metastore import MetastoreConfigError
from dbt.adapters.casebook.errors import (
    contract_violation_message,
    merge_key_message,
    unselected_upstream_message,
)

logger = AdapterLogger("Casebook")


@dataclass
class CasebookCredentials(SparkCredentials):
    """dbt-spark's credentials plus the embedded engine's settings (used by method `session`)."""

    # Spark master URL: local[N] or spark://HOST:PORT; CASEBOOK_SPARK_MASTER when unset.
    master: str | None = None
    driver_memory: str | None = None
    shuffle_partitions: int = 4
    # JDBC URL of a shared metastore; unset keeps the embedded Derby metastore under the project.
    metastore_url: str | None = None
    spark_conf: dict[str, str] = field(default_factory=dict)

    @classmethod
    def __pre_deserialize__(cls, data: Any) -> Any:
        data = super().__pre_deserialize__(data)
        if data.get("method") == SparkConnectionMethod.SESSION.value:
            # dbt-spark insists on a host; an in-process session has none.
            data.setdefault("host", "embedded")
        if data.get("method") == SparkConnectionMethod.THRIFT.value and data.get("auth") == "CUSTOM":
            # `casebook serve`'s generated password, when the profile does not give one.
            data["password"] = data.get("password") or secrets.thrift_password(project_root()) or ""
        return data

    @property
    def type(self) -> str:
        return "casebook"

    def _connection_keys(self) -> tuple[str, ...]:
        return ("method", "schema", "master", "host", "port", "metastore_url")

    def engine_settings(self) -> EngineSettings:
        return EngineSettings.from_env(
            master=self.master,
            driver_memory=self.driver_memory,
            shuffle_partitions=self.shuffle_partitions,
            metastore_url=self.metastore_url,
            extra_conf={str(k): str(v) for k, v in self.spark_conf.items()},
            root=project_root(),
        )


def project_root() -> Path:
    """The dbt project's folder: CASEBOOK_PROJECT_DIR, dbt's --project-dir, else the nearest parent."""
    try:
        from dbt.flags import get_flags

        project_dir = getattr(get_flags(), "PROJECT_DIR", None)
    except Exception:
        project_dir = None
    if project_dir:
        return paths.project_root(Path(project_dir))
    return paths.project_root()


# Spark appends the whole query plan to analysis errors, after "; line N pos M;".
PLAN_START = re.compile(r"(; line \d+ pos \d+;?)\s*\n.*", re.DOTALL)


def concise_spark_error(message: str) -> str:
    """Spark's error without the logical plan it appends: the sentence a person needs."""
    return PLAN_START.sub(r"\1", message).strip()


def shown_error(message: str) -> str:
    """What dbt shows for Spark's error `message`: an engine fault's sentence (Spark's text goes to
    dbt's log, and after the sentence with CASEBOOK_DEBUG=1), else Spark's error without its plan."""
    fault = engine_fault(message, project_root())
    if fault is None:
        return concise_spark_error(message)
    logger.debug(f"{fault}\nSpark's error:\n{message}")
    if debugging():
        return f"{fault}\n\n{message}"
    return f"{fault} Spark's error is in {_dbt_log()}."


def _dbt_log() -> Path:
    try:
        from dbt.flags import get_flags

        log_path = getattr(get_flags(), "LOG_PATH", None)
    except Exception:
        log_path = None
    return Path(log_path or "logs") / "dbt.log"


class CasebookConnectionManager(SparkConnectionManager):
    TYPE = "casebook"

    @contextmanager
    def exception_handler(self, sql: str) -> Iterator[None]:
        try:
            with super().exception_handler(sql):
                yield
        except DbtRuntimeError as error:
            message = str(error.msg if hasattr(error, "msg") else error)
            shown = (
                merge_key_message(message, sql)
                or contract_violation_message(message, sql)
                or unselected_upstream_message(message, project_root())
                or shown_error(message)
            )
            raise DbtRuntimeError(shown) from None

    @classmethod
    def open(cls, connection: Connection) -> Connection:
        credentials = connection.credentials
        if credentials.method == SparkConnectionMethod.SESSION:
            try:
                get_spark(credentials.engine_settings())
            except (MetastoreBusyError, EngineConfigError, MetastoreConfigError) as error:
                raise DbtRuntimeError(str(error)) from None
        return super().open(connection)
