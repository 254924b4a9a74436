"""Start (once per process) the SparkSession every dbt thread, Python model and test shares."""

from __future__ import annotations

import logging
import os
import re
import shlex
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from casebook import paths
from casebook.engine import jars, lock, secrets
from casebook.engine.lock import MetastoreBusyError
from casebook.engine.metastore import (
    SECRET_SETTINGS,
    MetastoreConfigError,
    configured_url,
    is_embedded,
    metastore_settings,
)

LOG_CONFIG = Path(__file__).with_name("log4j2.properties")
SCHEDULER_POOLS = Path(__file__).with_name("fairscheduler.xml")
DERBY_BUSY_SIGNS = ("Another instance of Derby", "XSDB6")
# PySpark logs every failed query as a JSON stack trace on stderr; dbt reports the error once anyway.
PYSPARK_ERROR_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")

MASTER_ENV = "CASEBOOK_SPARK_MASTER"
TASK_FAILURES_ENV = "CASEBOOK_TASK_MAX_FAILURES"
JAVA_OPTIONS_ENV = "CASEBOOK_JAVA_OPTIONS"
# Attempts per task: a crashed task (a killed Python worker, a lost executor) is run again this often.
DEFAULT_TASK_MAX_FAILURES = 4
_LOCAL = re.compile(r"local(\[(?P<threads>\*|[1-9]\d*)(,(?P<failures>[1-9]\d*))?\])?")
_OTHER_MASTERS = re.compile(
    r"spark://[\w.-]+(:\d+)?(,[\w.-]+(:\d+)?)*|local-cluster\[\d+,\d+,\d+\]|yarn|k8s://\S+"
)
VALID_MASTERS = "local[N], local[*], local[N,F] (F = attempts per task) or spark://HOST:PORT"

SESSION_PROPERTIES = "spark-session.conf"

_session_guard = threading.Lock()
_session = None


class EngineConfigError(ValueError):
    """Raised for an engine setting Spark cannot use, before Spark starts."""


def _task_max_failures() -> int:
    value = os.environ.get(TASK_FAILURES_ENV, str(DEFAULT_TASK_MAX_FAILURES))
    if not value.isdigit() or int(value) < 1:
        raise EngineConfigError(
            f"{TASK_FAILURES_ENV} is {value!r}, which is not a whole number of attempts per task: "
            f"set it to 1 or more (default {DEFAULT_TASK_MAX_FAILURES}) or unset it."
        )
    return int(value)


def resolved_master(master: str) -> str:
    """`master` checked, with task retries added to a local master (local[N] -> local[N,F])."""
    local = _LOCAL.fullmatch(master)
    if local:
        if local["failures"]:
            return master
        return f"local[{local['threads'] or 1},{_task_max_failures()}]"
    if _OTHER_MASTERS.fullmatch(master):
        return master
    source = (
        MASTER_ENV
        if os.environ.get(MASTER_ENV) == master
        else "The Spark master (the dbt profile's `master`)"
    )
    raise EngineConfigError(
        f"{source} is {master!r}, which is not a Spark master URL: use {VALID_MASTERS}, "
        f"e.g. {MASTER_ENV}='local[2]'."
    )


@dataclass(frozen=True)
class EngineSettings:
    """What a dbt profile or the CLI may tune; the rest follows from the project layout."""

    master: str = "local[2]"
    driver_memory: str = "4g"
    shuffle_partitions: int = 4
    # A JDBC URL for a shared metastore; None keeps the embedded Derby metastore under the project.
    metastore_url: str | None = None
    extra_conf: Mapping[str, str] = field(default_factory=dict)
    root: Path | None = None
    # More JVM flags for the driver and executors. `-XX:TieredStopAtLevel=1` (quick JIT only) nearly
    # halves a one-model build's CPU, yet costs a whole build 46 % more (docs/benchmarks.md, "The JIT").
    java_options: str = ""

    @classmethod
    def from_env(cls, **overrides: object) -> EngineSettings:
        """Defaults, then CASEBOOK_SPARK_MASTER / _DRIVER_MEMORY / _METASTORE_URL / _JAVA_OPTIONS, then
        explicit overrides."""
        values: dict[str, object] = {
            "master": os.environ.get("CASEBOOK_SPARK_MASTER", cls.master),
            "driver_memory": os.environ.get("CASEBOOK_DRIVER_MEMORY", cls.driver_memory),
            "metastore_url": configured_url(),
            "java_options": os.environ.get(JAVA_OPTIONS_ENV, cls.java_options).strip(),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def hadoop_local_path(path: Path) -> str:
    """A local path as Spark's settings take it: `file:` and the path as it is. Hadoop escapes a path
    itself, so a URI's escapes (`Path.as_uri()`: `+` as %2B, a space as %20) would name a folder
    literally called `a%2Bb` beside the one meant."""
    return "file:" + path.as_posix()


def spark_conf(settings: EngineSettings) -> dict[str, str]:
    """Every Spark setting of the engine, with paths made absolute against the project root."""
    root = settings.root or paths.project_root()
    warehouse = paths.warehouse_dir(root)
    metastore = paths.metastore_dir(root)
    metastore_conf, metastore_jars = metastore_settings(settings.metastore_url, metastore, root)
    executor_options = " ".join(
        filter(None, [shlex.quote(f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}"), settings.java_options])
    )
    # Only the driver maps the class archive (executors of a cluster run another class path); the
    # user's options come last, so they can override it. (Imported here: `python -m` runs that module.)
    from casebook.engine import class_archive

    archive_options = class_archive.java_options(":".join(str(jar) for jar in metastore_jars or []))
    java_options = " ".join(
        filter(
            None,
            [
                # Quoted where a path holds a space: Spark splits these options as a shell would.
                shlex.quote(f"-Dderby.system.home={metastore}"),
                shlex.quote(f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}"),
                archive_options,
                settings.java_options,
            ],
        )
    )
    conf = {
        "spark.master": resolved_master(settings.master),
        "spark.app.name": "casebook",
        "spark.driver.memory": settings.driver_memory,
        "spark.driver.extraJavaOptions": java_options,
        "spark.executor.extraJavaOptions": executor_options,
        "spark.pyspark.python": sys.executable,
        "spark.sql.catalogImplementation": "hive",
        "spark.sql.warehouse.dir": hadoop_local_path(warehouse),
        **metastore_conf,
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        "spark.sql.sources.default": "delta",
        # dbt re-creates tables in place; without this Spark refuses a non-empty table folder.
        "spark.sql.legacy.allowNonEmptyLocationInCTAS": "true",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": str(settings.shuffle_partitions),
        "spark.default.parallelism": str(settings.shuffle_partitions),
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        # Delta replays its log with 50 tasks by default: far too many for small tables on 2 cores.
        "spark.databricks.delta.snapshotPartitions": "2",
        # Hive's metastore keeps a column comment in 256 characters. A view whose column description is
        # longer fails its Hive-compatible save, which Hive retries 10 times, 2 s apart, before Spark
        # stores the view in its own format (full comments kept); meanwhile every other catalog call
        # waits. Retrying 10 times in 1 s keeps the fallback and loses 20 s less per such view.
        "spark.hadoop.hive.hmshandler.retry.interval": "100ms",
        # dbt runs two nodes at once on the same executors: share the task slots between their jobs.
        "spark.scheduler.mode": "FAIR",
        "spark.scheduler.allocation.file": hadoop_local_path(SCHEDULER_POOLS),
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        # data/ is private: the Delta and Parquet files Spark writes too (Hadoop applies its own umask).
        "spark.hadoop.fs.permissions.umask-mode": "077",
        **jars.jar_settings(),
    }
    if metastore_jars:
        # The metastore's JDBC driver must be on the driver's own class path, not only in spark.jars.
        extra = [str(jar) for jar in metastore_jars]
        conf["spark.driver.extraClassPath"] = ":".join(extra)
        conf["spark.jars"] = ",".join(filter(None, [conf.get("spark.jars", ""), *extra]))
    conf.update(settings.extra_conf)
    return conf


def split_secrets(conf: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """`conf` as (settings safe on a command line, secret settings for a 0600 properties file)."""
    public = {key: value for key, value in conf.items() if key not in SECRET_SETTINGS}
    return public, {key: value for key, value in conf.items() if key in SECRET_SETTINGS}


def write_properties(path: Path, conf: dict[str, str]) -> Path:
    """A Spark properties file (for spark-submit --properties-file) readable by its owner only."""
    lines = [f"{key} {_escaped(value)}" for key, value in conf.items()]
    return secrets.write_private(path, "\n".join(lines) + "\n")


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n")


def _pass_secrets(secret_conf: dict[str, str], root: Path) -> None:
    """Hand secret settings to the JVM PySpark is about to launch through a 0600 properties file."""
    if not secret_conf:
        return
    properties = write_properties(secrets.secrets_dir(root) / SESSION_PROPERTIES, secret_conf)
    # A child of another Casebook process inherits that process's file: replace it with this one's.
    words = shlex.split(os.environ.get("PYSPARK_SUBMIT_ARGS", "pyspark-shell"))
    kept: list[str] = []
    for word in words:
        if kept and kept[-1] == "--properties-file" and word.endswith(SESSION_PROPERTIES):
            kept.pop()
        else:
            kept.append(word)
    os.environ["PYSPARK_SUBMIT_ARGS"] = shlex.join(["--properties-file", str(properties), *kept])


def _uses_embedded_metastore(settings: EngineSettings) -> bool:
    return is_embedded(settings.metastore_url)


def _check_metastore(spark: object, metastore: Path, settings: EngineSettings) -> None:
    """Touch the metastore now, so a busy Derby or an unreachable PostgreSQL fails with one sentence."""
    try:
        spark.sql("show databases").collect()  # type: ignore[attr-defined]
    except Exception as error:
        if any(sign in str(error) for sign in DERBY_BUSY_SIGNS):
            raise MetastoreBusyError(lock.busy_message(metastore, "another JVM")) from None
        if not is_embedded(settings.metastore_url) and "SessionHiveMetaStoreClient" in str(error):
            raise MetastoreConfigError(
                f"Spark could not open the shared metastore {settings.metastore_url}: check that its "
                "PostgreSQL runs (`casebook metastore start`) and that the password "
                f"({secrets.METASTORE_PASSWORD_ENV} or {secrets.metastore_password_file(settings.root)}) "
                "is the one it was started with."
            ) from None
        raise


def get_spark(settings: EngineSettings | None = None):
    """The process's SparkSession, started on first call with Delta and the project's metastore.

    Spark reads master, memory and warehouse settings only when its JVM starts, so the first
    caller's settings win for the life of the process.
    """
    global _session
    with _session_guard:
        if _session is not None:
            return _session
        settings = settings or EngineSettings.from_env()
        root = settings.root or paths.project_root()
        settings = EngineSettings(**{**settings.__dict__, "root": root})
        metastore = paths.metastore_dir(root)
        public_conf, secret_conf = split_secrets(
            spark_conf(settings)
        )  # bad settings fail here, in a sentence
        if _uses_embedded_metastore(settings):
            lock.acquire(metastore)
        paths.warehouse_dir(root).mkdir(parents=True, exist_ok=True)
        # Python workers must run this interpreter: it is the one with pandas, pyarrow and casebook.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        # pandas-on-Spark wants this before the JVM starts; set it so it does not warn per model.
        os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")

        from pyspark.sql import SparkSession

        for name in PYSPARK_ERROR_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)

        _pass_secrets(secret_conf, root)
        builder = SparkSession.builder.enableHiveSupport()
        for key, value in public_conf.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("WARN")
        jars.remember_resolved_jars(spark.sparkContext.getConf().get("spark.jars", ""))
        _check_metastore(spark, metastore, settings)
        _session = spark
        return spark


def stop_spark() -> None:
    """Stop the process's SparkSession, if one was started."""
    global _session
    with _session_guard:
        if _session is not None:
            _session.stop()
            _session = None
