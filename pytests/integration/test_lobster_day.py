"""The real LOBSTER AMZN day through `casebook data ingest` and `dbt build`, against DuckDB's ASOF JOIN."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

from casebook.data.lobster import read_lobster
from pytests.conftest import VENV_BIN, require_real_data, run_dbt_process
from pytests.oracles import QUOTE_FIELDS, duckdb_asof

pytestmark = [pytest.mark.integration, pytest.mark.real_data]

LOBSTER_DAY = "lobster_amzn_2012-06-21"
EXECUTIONS = 11_419


def test_every_lobster_execution_gets_the_oracles_quote(tmp_path: Path, read_delta) -> None:
    source = require_real_data(LOBSTER_DAY)
    data_dir = tmp_path / "lobster"
    subprocess.run(
        [str(VENV_BIN / "casebook"), "data", "ingest", "lobster", str(source)],
        env={"CASEBOOK_DATA_DIR": str(data_dir), "PATH": str(VENV_BIN)},
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    run_dbt_process("build", "--select", "+fct_trades", data_dir=data_dir)

    built = read_delta(data_dir / "warehouse" / "marts.db" / "fct_trades")
    trades, quotes = read_lobster(source)
    expected = duckdb_asof(trades, quotes)

    assert len(built) == len(expected) == EXECUTIONS
    assert built["bid_pr"].notna().all() and built["ask_pr"].notna().all()
    columns = ["seq", "quote_seq", *QUOTE_FIELDS]
    actual = built[columns].sort_values("seq").reset_index(drop=True)
    oracle = expected[columns].sort_values("seq").reset_index(drop=True)
    pd.testing.assert_frame_equal(actual, oracle, check_dtype=False)
