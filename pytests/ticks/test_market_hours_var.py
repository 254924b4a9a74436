"""The regular session's bounds are vars: a value that is no time of day stops dbt naming the var."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pytests.conftest import REPO_ROOT, dbt_command


def test_an_unquoted_close_time_is_refused_naming_the_var(tmp_path: Path) -> None:
    # YAML reads an unquoted 16:00:00 as the sexagesimal number 57600.
    env = {**os.environ, "CASEBOOK_DATA_DIR": str(tmp_path)}
    command = dbt_command(
        "parse", "--vars", "{ticks_market_close: 16:00:00}", target_path=tmp_path / "target"
    )
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr

    assert result.returncode != 0
    assert "var ticks_market_close is '57600': give a time of day as HH:MM:SS in quotes" in output
