"""`make lint`'s layout check: every model in its layer's folder, schemas set per layer only."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from casebook.layout import problems
from pytests.conftest import REPO_ROOT, VENV_BIN


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this project's dbt_project.yml and models/ to break on purpose."""
    shutil.copy(REPO_ROOT / "dbt_project.yml", tmp_path / "dbt_project.yml")
    shutil.copytree(REPO_ROOT / "models", tmp_path / "models")
    return tmp_path


def test_this_project_keeps_its_layout() -> None:
    assert problems(REPO_ROOT) == []


def test_a_mart_in_the_intermediate_folder_is_named(project: Path) -> None:
    (project / "models" / "intermediate" / "ticks" / "fct_misplaced.sql").write_text("select 1 as x\n")
    assert problems(project) == [
        "models/intermediate/ticks/fct_misplaced.sql: fct_ models belong in models/marts/"
    ]


def test_a_python_model_outside_the_layer_folders_is_named(project: Path) -> None:
    (project / "models" / "marts" / "ticks" / "int_stray.py").write_text("def model(dbt, session): ...\n")
    assert problems(project) == [
        "models/marts/ticks/int_stray.py: int_ models belong in models/intermediate/"
    ]


def test_a_model_that_sets_its_own_schema_is_named(project: Path) -> None:
    model = project / "models" / "intermediate" / "pods" / "int_pods__trip_stats_pandas.py"
    model.write_text(model.read_text().replace('materialized="table"', 'materialized="table", schema="x"'))
    assert problems(project) == [
        "models/intermediate/pods/int_pods__trip_stats_pandas.py: sets its own schema; "
        "schemas are set per layer in dbt_project.yml"
    ]


def test_a_schema_below_a_layer_folder_in_dbt_project_is_named(project: Path) -> None:
    config = project / "dbt_project.yml"
    config.write_text(
        config.read_text().replace(
            "    marts:\n      +materialized: table\n",
            # A folder without a block of its own yet (the domain folders set their +group).
            "    marts:\n      legacy:\n        +schema: legacy\n      +materialized: table\n",
        )
    )
    assert problems(project) == [
        "dbt_project.yml: models.casebook.marts.legacy sets a schema; set it on a layer folder only"
    ]


def test_make_lint_runs_the_check_and_fails_on_a_misplaced_model(project: Path) -> None:
    (project / "models" / "staging" / "fct_wrong.sql").write_text("select 1 as x\n")
    lint = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "casebook.layout", str(project)], capture_output=True, text=True
    )
    assert lint.returncode == 1
    assert "models/staging/fct_wrong.sql: fct_ models belong in models/marts/" in lint.stderr
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "-m casebook.layout" in makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
