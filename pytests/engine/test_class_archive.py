"""The driver JVM's class archive: mapped when it exists, by the driver only, and never in the way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.engine import class_archive, jars
from casebook.engine.session import EngineSettings, spark_conf
from pytests.conftest import REPO_ROOT


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Ivy cache folder (so no archive), a project beside it, no archive setting."""
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "dbt_project.yml").write_text("name: x\n")
    monkeypatch.chdir(tmp_path / "project")
    for name in ("CASEBOOK_PROJECT_DIR", "DBT_PROJECT_DIR", "CASEBOOK_DATA_DIR", "CASEBOOK_METASTORE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv(class_archive.ARCHIVE_ENV, raising=False)
    monkeypatch.setenv("CASEBOOK_IVY_DIR", str(tmp_path / "ivy"))
    return tmp_path / "ivy"


def _driver_and_executor_options() -> tuple[str, str]:
    conf = spark_conf(EngineSettings.from_env())
    return conf["spark.driver.extraJavaOptions"], conf["spark.executor.extraJavaOptions"]


def test_without_an_archive_no_jvm_is_told_to_map_one(cache: Path) -> None:
    driver, executor = _driver_and_executor_options()
    assert "SharedArchiveFile" not in driver + executor


def test_the_driver_maps_an_existing_archive_and_the_executors_do_not(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = class_archive.archive_path()
    archive.parent.mkdir(parents=True)
    archive.write_bytes(b"archive")
    monkeypatch.setenv("CASEBOOK_JAVA_OPTIONS", "-XX:+UseParallelGC")
    driver, executor = _driver_and_executor_options()
    assert f"-XX:SharedArchiveFile={archive}" in driver.split()
    assert "-Xlog:cds=off" in driver.split()
    assert driver.split()[-1] == "-XX:+UseParallelGC"  # the user's options come last
    assert "SharedArchiveFile" not in executor
    monkeypatch.setenv(class_archive.ARCHIVE_ENV, "off")
    assert "SharedArchiveFile" not in _driver_and_executor_options()[0]


def test_each_driver_class_path_and_delta_version_has_its_own_archive(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = class_archive.archive_path()
    with_postgres = class_archive.archive_path("/jars/postgresql-42.7.4.jar")
    assert embedded != with_postgres and embedded.parent == with_postgres.parent == cache / "class-archives"
    monkeypatch.setattr(jars, "delta_package", lambda: "io.delta:delta-spark_2.13:9.9.9")
    assert class_archive.archive_path() != embedded


def test_each_virtualenv_has_its_own_archive_and_a_gone_ones_is_removed(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JVM maps an archive only on the class path it was made on: a second clone's venv (the CI's
    fresh one) needs its own, and the archive of a deleted clone is removed."""
    here = class_archive.archive_path()
    monkeypatch.setattr(class_archive, "_pyspark_folder", lambda: tmp_path / "other-venv" / "pyspark")
    assert class_archive.archive_path() != here
    folder = cache / "class-archives"
    folder.mkdir(parents=True)
    kept, gone, unnoted = (folder / f"driver-{name}.jsa" for name in ("kept", "gone", "unnoted"))
    for archive in (kept, gone, unnoted):
        archive.write_bytes(b"archive")
    kept.with_suffix(".pyspark").write_text(f"{tmp_path}\n")
    gone.with_suffix(".pyspark").write_text(f"{tmp_path / 'deleted-clone'}\n")
    class_archive._remove_orphans(folder)
    assert sorted(path.name for path in folder.iterdir()) == ["driver-kept.jsa", "driver-kept.pyspark"]


def test_a_killed_runs_old_partial_dump_is_removed_and_a_fresh_one_kept(cache: Path) -> None:
    folder = cache / "class-archives"
    folder.mkdir(parents=True)
    old, fresh = folder / "driver-x.jsa.part-1", folder / "driver-x.jsa.part-2"
    for part in (old, fresh):
        part.write_bytes(b"half")
    os.utime(old, (0, 0))
    class_archive._remove_stale_parts(folder)
    assert not old.exists() and fresh.exists()


def _start_session(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A fresh process that starts this project's engine (on the data folder in env) and queries it."""
    code = "from casebook.engine import get_spark; print(get_spark().sql('select 41 + 1').first()[0])"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600
    )


@pytest.mark.integration
def test_a_session_loads_spark_from_the_archive_setup_made(tmp_path: Path) -> None:
    """A real driver JVM with the archive of the machine's cache (made here if setup has not): Spark's
    classes come from the archive, not from the jars."""
    env = {key: value for key, value in os.environ.items() if key != class_archive.ARCHIVE_ENV}
    env.pop("CASEBOOK_METASTORE_URL", None)
    assert class_archive.create() == class_archive.archive_path()
    classes = tmp_path / "classes.log"
    env.update(
        CASEBOOK_DATA_DIR=str(tmp_path / "data"), CASEBOOK_JAVA_OPTIONS=f"-Xlog:class+load:file={classes}"
    )
    result = _start_session(env)
    assert result.returncode == 0 and result.stdout.strip().endswith("42"), result.stderr[-3000:]
    loaded = [line for line in classes.read_text().splitlines() if " org.apache.spark.SparkContext " in line]
    assert loaded and "shared objects file (top)" in loaded[0], loaded


@pytest.mark.integration
def test_an_archive_the_jvm_cannot_use_is_ignored_without_a_word(tmp_path: Path) -> None:
    """A corrupt (or stale) archive: the session starts as without one, and nothing is printed about it."""
    ivy = tmp_path / "ivy"
    ivy.mkdir()
    manifest = jars._manifest()
    if manifest.is_file():  # the Delta jars this machine has cached, so the test needs no network
        (ivy / manifest.name).write_text(manifest.read_text())
    env = {key: value for key, value in os.environ.items() if key != class_archive.ARCHIVE_ENV}
    env.pop("CASEBOOK_METASTORE_URL", None)
    env.update(CASEBOOK_IVY_DIR=str(ivy), CASEBOOK_DATA_DIR=str(tmp_path / "data"))
    archive = class_archive.archive_path()
    archive = ivy / archive.relative_to(jars.ivy_dir())
    archive.parent.mkdir(parents=True)
    archive.write_bytes(os.urandom(4096))
    result = _start_session(env)
    assert result.returncode == 0 and result.stdout.strip().endswith("42"), result.stderr[-3000:]
    assert "archive" not in (result.stdout + result.stderr).lower()


def test_a_virtualenv_made_again_at_the_same_path_gets_a_new_archive(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JVM refuses an archive whose jars changed time stamps: a reinstalled pyspark needs its own."""
    pyspark = tmp_path / "venv" / "pyspark"
    (pyspark / "jars").mkdir(parents=True)
    monkeypatch.setattr(class_archive, "_pyspark_folder", lambda: pyspark)
    before = class_archive.archive_path()
    os.utime(pyspark / "jars", ns=(0, 1_000_000_000))
    assert class_archive.archive_path() != before
