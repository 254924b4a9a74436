"""Where the Hive metastore lives: embedded Derby under the project, or a shared PostgreSQL database.

Derby admits one JVM at a time. To run `dbt build` while a Thrift server serves BI tools, both
point at one metastore in PostgreSQL: set CASEBOOK_METASTORE_URL (or use the `shared` dbt target)
to a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/casebook_metastore?user=casebook. The password
is never in the URL: it comes from $CASEBOOK_METASTORE_PASSWORD or data/secrets/metastore.password
(written by `casebook metastore start`), and reaches Spark through a 0600 properties file, not a
command line. The PostgreSQL JDBC driver is fetched once from Maven Central and cached beside Delta's jars.
"""

from __future__ import annotations

import os
from pathlib import Path

from casebook.engine import secrets
from casebook.engine.jars import JarFetchError, maven_jar

POSTGRES_DRIVER = "org.postgresql.Driver"
POSTGRES_JDBC_VERSION = "42.7.14"
_ENV_URL = "CASEBOOK_METASTORE_URL"


class MetastoreConfigError(ValueError):
    """Raised for a metastore URL Casebook cannot use."""


def configured_url() -> str | None:
    """$CASEBOOK_METASTORE_URL, or None for the embedded Derby metastore."""
    return os.environ.get(_ENV_URL) or None


def is_embedded(url: str | None) -> bool:
    return url is None or url.startswith("jdbc:derby:")


def derby_url(metastore: Path) -> str:
    return f"jdbc:derby:;databaseName={metastore / 'metastore_db'};create=true"


def postgres_driver_jar() -> Path:
    """The PostgreSQL JDBC driver jar, downloaded from Maven Central on first use, then cached."""
    try:
        return maven_jar("org.postgresql", "postgresql", POSTGRES_JDBC_VERSION, folder="jdbc")
    except JarFetchError as error:
        raise MetastoreConfigError(str(error)) from None


# Settings whose values are secrets: Casebook passes them to Spark in a 0600 file, never as arguments.
SECRET_SETTINGS = ("spark.hadoop.javax.jdo.option.ConnectionPassword",)


def _password(url: str, root: Path | None) -> str:
    password = secrets.metastore_password(root)
    if password is None:
        raise MetastoreConfigError(
            f"No password for the shared metastore {url}: run `casebook metastore start` (it writes "
            f"{secrets.metastore_password_file(root)}) or set {secrets.METASTORE_PASSWORD_ENV}."
        )
    return password


def metastore_settings(
    url: str | None, metastore: Path, root: Path | None = None
) -> tuple[dict[str, str], list[Path]]:
    """Spark settings for the metastore at `url` (Derby under `metastore` when None), and extra jars."""
    if is_embedded(url):
        return {"spark.hadoop.javax.jdo.option.ConnectionURL": url or derby_url(metastore)}, []
    assert url is not None
    if not url.startswith("jdbc:postgresql://"):
        raise MetastoreConfigError(
            f"Unsupported metastore URL {url!r}: use jdbc:derby:... (embedded) or "
            "jdbc:postgresql://HOST:PORT/DATABASE?user=USER (shared)."
        )
    settings = {
        "spark.hadoop.javax.jdo.option.ConnectionURL": url,
        "spark.hadoop.javax.jdo.option.ConnectionDriverName": POSTGRES_DRIVER,
        # An empty database gets the metastore's tables on first use (no schematool step), but no
        # foreign keys: DataNucleus adds those with ALTER TABLE from a second connection while the
        # first holds row locks on the referenced table, and the metastore deadlocks on PostgreSQL.
        "spark.hadoop.datanucleus.schema.autoCreateTables": "true",
        "spark.hadoop.datanucleus.schema.autoCreateColumns": "true",
        "spark.hadoop.datanucleus.schema.autoCreateConstraints": "false",
        "spark.hadoop.hive.metastore.schema.verification": "false",
    }
    if "password=" not in url:
        settings["spark.hadoop.javax.jdo.option.ConnectionPassword"] = _password(url, root)
    return settings, [postgres_driver_jar()]
