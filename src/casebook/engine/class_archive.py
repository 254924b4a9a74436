"""A class-data-sharing archive for the driver JVM: made once, mapped by every later start.

Every dbt process starts a JVM that loads thousands of classes (Spark, Hive's metastore client,
Delta) before its first query, and verifies and links each. Java 17 can dump the classes a run
loaded into an archive (-XX:ArchiveClassesAtExit) and map it at later starts
(-XX:SharedArchiveFile), which skips that work: the session starts in about 0.7x the time
(docs/benchmarks.md, "The class archive").

The archive sits beside Ivy's cache, one per JVM, PySpark install (each clone's virtualenv), Delta
and metastore driver class path: a different one gets its own file, and the archive of a virtualenv
that is gone is removed when the next one is made. The JVM checks the class path itself and ignores
an archive that does not match (silently: its cds logging is off), so a stale archive costs only the
time it would have saved. CASEBOOK_CLASS_ARCHIVE=off starts without it.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from casebook.engine import jars

if TYPE_CHECKING:
    import pandas as pd

ARCHIVE_ENV = "CASEBOOK_CLASS_ARCHIVE"
# The JVM says on stdout when an archive does not match its class path, and lists every class it
# cannot archive when it dumps: neither is the user's business.
QUIET = "-Xlog:cds=off -Xlog:cds+dynamic=off"
# Unfinished dumps (a killed run) are removed when older than this.
STALE_PART_SECONDS = 3600


def enabled() -> bool:
    return os.environ.get(ARCHIVE_ENV, "on").strip().lower() not in {"off", "0", "false", "no"}


def _java_identity() -> str:
    """Which JVM runs Spark (the one spark-submit picks: $JAVA_HOME, else java on PATH), by file."""
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home) / "bin" / "java" if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        return "no-java"
    real = Path(java).resolve()
    stat = real.stat()
    return f"{real}:{stat.st_size}:{int(stat.st_mtime)}"


def _pyspark_folder() -> Path:
    """The installed pyspark (its jars/ are the JVM's class path: each virtualenv has its own)."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def archive_path(driver_class_path: str = "") -> Path:
    """The archive for this JVM, PySpark install, Delta and driver class path (the metastore's JDBC
    driver). The JVM maps an archive only on the class path it was made on, so a second clone (its
    own virtualenv) gets its own. The JVM also checks each jar's time stamp: a virtualenv made again
    at the same path (a CI clone in the same folder) has new jars, so the jars folder's time is in the
    key too, else the old archive would be found, refused and never made again."""
    pyspark_folder = _pyspark_folder()
    jars_folder = pyspark_folder / "jars"
    identity = "\n".join(
        [
            _java_identity(),
            str(pyspark_folder),
            str(jars_folder.stat().st_mtime_ns if jars_folder.is_dir() else 0),
            version("pyspark"),
            jars.delta_package(),
            driver_class_path,
        ]
    )
    key = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return jars.ivy_dir() / "class-archives" / f"driver-{key}.jsa"


def _source_note(archive: Path) -> Path:
    return archive.with_suffix(".pyspark")


def java_options(driver_class_path: str = "") -> str:
    """The driver's JVM flags that map the archive, or "" when there is none (or it is turned off)."""
    archive = archive_path(driver_class_path)
    if not enabled() or not archive.is_file():
        return ""
    return f"{shlex.quote(f'-XX:SharedArchiveFile={archive}')} {QUIET}"


# What the archiving run does: start the session and run the kinds of statement a build runs (Delta
# writes and merges, aggregates, joins, windows, a view, a pandas UDF), so their classes are archived.
_STATEMENTS = (
    "create database if not exists warm",
    "create or replace table warm.t using delta as"
    " select id, id % 7 as k, cast(id as double) / 3 as x from range(2000)",
    "create or replace view warm.v as select k, sum(x) as total, count(*) as n from warm.t group by k",
    "select * from warm.v order by k",
    "merge into warm.t as t using (select id, k, x + 1 as x from warm.t where k = 1) as s on t.id = s.id"
    " when matched then update set x = s.x when not matched then insert *",
    "select k, x, lag(x) over (partition by k order by id) as previous,"
    " avg(x) over (partition by k order by id rows between 5 preceding and current row) as rolling"
    " from warm.t",
    "select a.k, count(*) from warm.t as a inner join warm.t as b on a.id = b.id + 1 group by a.k",
)


def _first_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.head(3)


def run_workload() -> int:
    """The archiving run itself (in its own process): the workload, then the JVM's clean exit, which
    is when it dumps the archive."""
    from casebook.engine import get_spark

    spark = get_spark()
    for statement in _STATEMENTS:
        spark.sql(statement).collect()
    frame = spark.table("warm.t").groupBy("k").applyInPandas(_first_rows, schema="id long, k long, x double")
    frame.write.format("delta").mode("overwrite").saveAsTable("warm.u")
    spark.table("warm.u").toPandas()
    gateway = spark.sparkContext._gateway
    spark.stop()
    process = gateway.proc
    gateway.shutdown()
    process.stdin.close()  # the JVM exits when its stdin closes, and dumps the archive as it does
    return process.wait(timeout=600)


def create(driver_class_path: str = "", timeout: float = 900) -> Path | None:
    """Make the archive by one run of the workload, unless it exists; return it (None if turned off).

    The JVM dumps into a file of its own, which is renamed into place only once it exited cleanly:
    a killed or failed run never leaves a half-written archive where starts would map it.
    """
    archive = archive_path(driver_class_path)
    if not enabled() or archive.is_file():
        return archive if enabled() else None
    archive.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(archive.parent)
    part = archive.with_name(f"{archive.name}.part-{os.getpid()}")
    with tempfile.TemporaryDirectory(prefix="casebook-class-archive-") as scratch:
        # A project of its own: the workload's metastore and tables live and die in the scratch folder.
        (Path(scratch) / "dbt_project.yml").write_text("name: class_archive\n")
        env = {
            **{key: value for key, value in os.environ.items() if key != "CASEBOOK_METASTORE_URL"},
            "CASEBOOK_PROJECT_DIR": scratch,
            "CASEBOOK_DATA_DIR": str(Path(scratch) / "data"),  # embedded metastore, never a shared one
            ARCHIVE_ENV: "off",  # this run makes the archive, it does not map one
            "CASEBOOK_JAVA_OPTIONS": f"-XX:ArchiveClassesAtExit={part} {QUIET}",
        }
        result = subprocess.run(
            [sys.executable, "-m", "casebook.engine.class_archive", "--workload"],
            env=env,
            cwd=scratch,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if result.returncode != 0 or not part.is_file():
        part.unlink(missing_ok=True)
        tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise RuntimeError(
            f"Could not make the JVM class archive {archive} (exit {result.returncode}): " + " | ".join(tail)
        )
    part.chmod(0o600)
    _source_note(archive).write_text(f"{_pyspark_folder()}\n")
    part.replace(archive)
    _remove_orphans(archive.parent)
    return archive


def _remove_orphans(folder: Path) -> None:
    """Remove the archives of virtualenvs that are gone (a deleted clone, a CI run's temporary one):
    each is some 200 MiB. An archive without its note predates the notes and goes too."""
    for other in folder.glob("driver-*.jsa"):
        note = _source_note(other)
        try:
            owner = Path(note.read_text().strip()) if note.is_file() else None
            if owner is None or not owner.is_dir():
                other.unlink()
                note.unlink(missing_ok=True)
        except FileNotFoundError:
            pass


def _remove_stale_parts(folder: Path) -> None:
    cutoff = time.time() - STALE_PART_SECONDS
    for part in folder.glob("*.jsa.part-*"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
        except FileNotFoundError:
            pass


def main() -> int:
    """`python -m casebook.engine.class_archive`: make the archive when missing (make setup runs it).

    The archive only saves time, so failing to make it is said in one sentence, not an error.
    """
    started = time.perf_counter()
    existed = archive_path().is_file()
    try:
        archive = create()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        print(f"class archive: not made, so Spark starts take longer ({error})", file=sys.stderr)
        return 0
    if archive is None:
        print(f"class archive: turned off ({ARCHIVE_ENV})")
    elif not existed:
        size = archive.stat().st_size / 2**20
        print(f"class archive: made {archive} ({size:.0f} MiB) in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_workload() if sys.argv[1:] == ["--workload"] else main())
