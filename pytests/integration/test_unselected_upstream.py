"""A selection without its upstream nodes on a fresh warehouse: one sentence naming the missing
relation and the selection that builds it, not Spark's TABLE_OR_VIEW_NOT_FOUND and query plan."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from casebook.data.registry import generator
from pytests.conftest import REPO_ROOT, dbt_command
from pytests.integration.conftest import SEED

pytestmark = pytest.mark.integration


def test_an_unselected_seed_is_named_with_the_selection_that_builds_it(tmp_path: Path) -> None:
    generator("fraud")(tmp_path / "raw", "tiny", SEED)
    result = subprocess.run(
        dbt_command("build", "--select", "path:models/staging/fraud+", target_path=tmp_path / "target"),
        cwd=REPO_ROOT,
        env={**os.environ, "CASEBOOK_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-4000:]
    assert "TABLE_OR_VIEW_NOT_FOUND" not in output
    assert (
        "seeds.fraud_transaction_types is not in the warehouse: it is the seed fraud_transaction_types"
        " (seeds/fraud/fraud_transaction_types.csv), upstream of this model but not built; add + to the"
        " selection to build its upstream nodes too: --select +path:models/staging/fraud+"
    ) in output
