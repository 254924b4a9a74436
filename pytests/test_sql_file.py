"""`casebook sql --file`: which files are refused before dbt runs, and dbt's rendering of an analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook import cli
from casebook.sqlfile import SqlFileError, compile_sql_file, read_sql_file
from pytests.conftest import REPO_ROOT


@pytest.mark.parametrize("argv", [["sql"], ["sql", "select 1", "--file", "analyses/x.sql"]])
def test_sql_takes_a_statement_or_a_file_not_both_or_neither(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("casebook: casebook sql takes one statement or --file PATH, not both or neither")
    assert len(error.splitlines()) == 1


def test_a_missing_folder_or_empty_file_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(SqlFileError, match=r"nope\.sql does not exist: pass the path of a \.sql file"):
        read_sql_file(tmp_path / "nope.sql")
    with pytest.raises(SqlFileError, match="is a folder"):
        read_sql_file(tmp_path)
    empty = tmp_path / "empty.sql"
    empty.write_text("  \n")
    with pytest.raises(SqlFileError, match=r"empty\.sql is empty"):
        read_sql_file(empty)
    binary = tmp_path / "binary.sql"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(SqlFileError, match="not UTF-8"):
        read_sql_file(binary)


@pytest.mark.integration
def test_dbt_renders_an_analysis_and_names_a_bad_ref(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    compiled = compile_sql_file(REPO_ROOT / "analyses" / "chapter_08__pods_headline.sql", REPO_ROOT)
    assert "{{" not in compiled
    assert "from marts.fct_pod_trip_summary" in compiled.replace("`", "")
    bad = tmp_path / "bad.sql"
    bad.write_text("select * from {{ ref('fct_no_such_model') }}\n")
    with pytest.raises(
        SqlFileError, match=r"bad\.sql does not compile: it depends on a node named 'fct_no_such_model'"
    ):
        compile_sql_file(bad, REPO_ROOT)
