"""`casebook sql` for scripts: CSV and JSON output, --output written atomically, --limit; --version."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from casebook import __version__
from pytests.conftest import REPO_ROOT, VENV_BIN

pytestmark = pytest.mark.integration

QUERY = "select 1 as n, 'a,b' as label, cast('2024-03-04' as date) as day union all select 2, 'c \"q\"', null"


def casebook(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "casebook"), *args],
        env={**os.environ, "CASEBOOK_DATA_DIR": str(data_dir)},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_csv_on_stdout_reads_back_as_the_rows(tmp_path: Path) -> None:
    done = casebook("sql", QUERY, "--format", "csv", data_dir=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    rows = pd.read_csv(io.StringIO(done.stdout), keep_default_na=False)
    assert rows.to_dict("records") == [
        {"n": 1, "label": "a,b", "day": "2024-03-04"},
        {"n": 2, "label": 'c "q"', "day": ""},
    ]


def test_json_lines_go_to_the_output_file_and_limit_cuts_rows(tmp_path: Path) -> None:
    out = tmp_path / "result.jsonl"
    out.write_text("old contents\n")
    done = casebook(
        "sql", QUERY, "--format", "json", "--output", str(out), "--limit", "1", data_dir=tmp_path / "d"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"1 rows -> {out}")
    lines = out.read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {"n": 1, "label": "a,b", "day": "2024-03-04T00:00:00.000"}
    ]
    assert not list(tmp_path.glob(".result.jsonl.partial"))


def test_version_names_the_package_version() -> None:
    done = subprocess.run([str(VENV_BIN / "casebook"), "--version"], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.strip() == f"casebook {__version__}"


def test_a_data_folder_named_with_a_plus_and_a_space_holds_the_warehouse(tmp_path: Path) -> None:
    # Spark reads its warehouse setting as a path and escapes it itself: a URI's %2B and %20 would make
    # a second folder literally named so, and the table would not be where the data folder says.
    data_dir = tmp_path / "team data+2"
    done = casebook("sql", "create table t using delta as select 1 as n", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert list((data_dir / "warehouse" / "t" / "_delta_log").glob("*.json"))
    assert not [p for p in tmp_path.rglob("*") if "%2B" in p.name or "%20" in p.name]
