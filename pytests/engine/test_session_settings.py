"""The engine's Spark settings: paths resolved against the project root, Delta on, 2-core defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook import paths
from casebook.engine.session import EngineSettings, spark_conf


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "dbt_project.yml").write_text("name: x\n")
    (tmp_path / "models" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "models" / "deep")
    monkeypatch.delenv("CASEBOOK_PROJECT_DIR", raising=False)
    monkeypatch.delenv("DBT_PROJECT_DIR", raising=False)
    monkeypatch.delenv("CASEBOOK_DATA_DIR", raising=False)
    return tmp_path


def test_paths_resolve_against_the_project_root_not_the_cwd(project: Path) -> None:
    conf = spark_conf(EngineSettings())
    assert conf["spark.sql.warehouse.dir"] == f"file:{project / 'data' / 'warehouse'}"
    assert (
        f"databaseName={project / 'data' / 'metastore' / 'metastore_db'}"
        in conf["spark.hadoop.javax.jdo.option.ConnectionURL"]
    )
    assert f"-Dderby.system.home={project / 'data' / 'metastore'}" in conf["spark.driver.extraJavaOptions"]


def test_relative_data_dir_is_taken_from_the_project_root(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("CASEBOOK_DATA_DIR", "elsewhere")
    assert paths.raw_dir() == project / "elsewhere" / "raw"


def test_delta_is_the_default_format_and_catalog(project: Path) -> None:
    conf = spark_conf(EngineSettings())
    assert conf["spark.sql.extensions"] == "io.delta.sql.DeltaSparkSessionExtension"
    assert conf["spark.sql.catalog.spark_catalog"].endswith("DeltaCatalog")
    assert conf["spark.sql.sources.default"] == "delta"
    assert "spark.jars" in conf or "io.delta:delta-spark_2.13" in conf["spark.jars.packages"]


def test_profile_settings_override_the_environment(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("CASEBOOK_SPARK_MASTER", "local[1]")
    assert EngineSettings.from_env().master == "local[1]"
    assert EngineSettings.from_env(master="spark://h:7077").master == "spark://h:7077"
    conf = spark_conf(EngineSettings.from_env(extra_conf={"spark.sql.shuffle.partitions": "9"}))
    assert conf["spark.sql.shuffle.partitions"] == "9"


def test_outside_a_project_the_error_says_how_to_point_at_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CASEBOOK_PROJECT_DIR", raising=False)
    monkeypatch.delenv("DBT_PROJECT_DIR", raising=False)
    with pytest.raises(paths.ProjectNotFoundError, match="CASEBOOK_PROJECT_DIR"):
        paths.project_root()


def test_a_postgres_metastore_url_brings_its_driver_and_no_foreign_keys(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEBOOK_METASTORE_PASSWORD", "not-a-real-password")
    url = "jdbc:postgresql://127.0.0.1:5432/casebook_metastore?user=casebook"
    conf = spark_conf(EngineSettings(metastore_url=url))
    assert conf["spark.hadoop.javax.jdo.option.ConnectionURL"] == url
    assert conf["spark.hadoop.javax.jdo.option.ConnectionDriverName"] == "org.postgresql.Driver"
    # DataNucleus' lazily added foreign keys deadlock the metastore on PostgreSQL.
    assert conf["spark.hadoop.datanucleus.schema.autoCreateConstraints"] == "false"
    driver = conf["spark.driver.extraClassPath"]
    assert driver.endswith(".jar") and Path(driver).is_file()
    assert driver in conf["spark.jars"].split(",")


def test_the_metastore_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEBOOK_METASTORE_URL", "jdbc:postgresql://db:5432/m?user=u")
    assert EngineSettings.from_env().metastore_url == "jdbc:postgresql://db:5432/m?user=u"


def test_an_unsupported_metastore_url_is_refused_with_the_supported_forms(project: Path) -> None:
    from casebook.engine.metastore import MetastoreConfigError

    with pytest.raises(MetastoreConfigError, match="jdbc:postgresql://HOST:PORT/DATABASE"):
        spark_conf(EngineSettings(metastore_url="jdbc:mysql://db/metastore"))


def test_a_postgres_metastore_without_a_password_is_refused_naming_where_it_goes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casebook.engine.metastore import MetastoreConfigError

    monkeypatch.delenv("CASEBOOK_METASTORE_PASSWORD", raising=False)
    url = "jdbc:postgresql://127.0.0.1:5432/casebook_metastore?user=casebook"
    with pytest.raises(MetastoreConfigError, match="set CASEBOOK_METASTORE_PASSWORD"):
        spark_conf(EngineSettings(metastore_url=url))


def test_the_thrift_server_brings_the_hive_classes_spark_no_longer_ships(project: Path) -> None:
    # Spark 4.0 dropped hive-llap-common; without it closing a served session can fail with
    # NoClassDefFoundError LlapSigner$Signable (Hive's FunctionRegistry needs it).
    import zipfile

    from casebook.engine import thrift

    if "spark.jars" not in spark_conf(EngineSettings()):
        pytest.skip("Delta's jars are not cached yet (any dbt command caches them)")
    command = thrift.server_command(EngineSettings(), "127.0.0.1", 10000, project / "server.conf")
    class_path = next(arg for arg in command if arg.startswith("spark.driver.extraClassPath="))
    llap = [Path(jar) for jar in class_path.split("=", 1)[1].split(":") if "hive-llap-common" in jar]
    assert len(llap) == 1 and llap[0].is_file()
    names = zipfile.ZipFile(llap[0]).namelist()
    assert "org/apache/hadoop/hive/llap/security/LlapSigner$Signable.class" in names


def test_extra_jvm_options_reach_the_driver_and_the_executors(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEBOOK_JAVA_OPTIONS", " -XX:TieredStopAtLevel=1 -XX:+UseParallelGC ")
    conf = spark_conf(EngineSettings.from_env())
    for side in ("driver", "executor"):
        options = conf[f"spark.{side}.extraJavaOptions"].split()
        assert options[-2:] == ["-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC"], side
        assert any(option.startswith("-Dlog4j2.configurationFile=") for option in options), side
    monkeypatch.delenv("CASEBOOK_JAVA_OPTIONS")
    assert "TieredStopAtLevel" not in spark_conf(EngineSettings.from_env())["spark.driver.extraJavaOptions"]
