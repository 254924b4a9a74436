"""Credentials and connections: dbt-spark's, with the `session` method starting Casebook's engine."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dbt.adapters.contracts.connection import Connection
from dbt.adapters.spark.connections import (
    SparkConnectionManager,
    SparkConnectionMethod,
    SparkCredentials,
)
from dbt_common.exceptions import DbtRuntimeError

from casebook import paths
from casebook.engine import EngineSettings, MetastoreBusyError, get_spark
from dbt.adapters.casebook.errors import unselected_upstream_message


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


class CasebookConnectionManager(SparkConnectionManager):
    TYPE = "casebook"

    @contextmanager
    def exception_handler(self, sql: str) -> Iterator[None]:
        try:
            with super().exception_handler(sql):
                yield
        except DbtRuntimeError as error:
            message = str(error.msg if hasattr(error, "msg") else error)
            concise = unselected_upstream_message(message, project_root()) or concise_spark_error(message)
            raise DbtRuntimeError(concise) from None

    @classmethod
    def open(cls, connection: Connection) -> Connection:
        credentials = connection.credentials
        if credentials.method == SparkConnectionMethod.SESSION:
            try:
                get_spark(credentials.engine_settings())
            except MetastoreBusyError as error:
                raise DbtRuntimeError(str(error)) from None
        return super().open(connection)
