"""Seed cells as SQL literals and leftover table folders: the pure parts, without Spark."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from dbt_common.exceptions import DbtRuntimeError

from dbt.adapters.casebook import locations, seeds


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        (None, "null"),
        ("O'Brien", "'O\\'Brien'"),
        ("back\\slash", "'back\\\\slash'"),
        ("\\'", "'\\\\\\''"),
        ("None", "'None'"),
        (True, "'true'"),
        (Decimal("12345678901234567890.125"), "'12345678901234567890.125'"),
        (Decimal("1E+3"), "'1000'"),
        (7, "'7'"),
        (dt.date(2024, 2, 29), "'2024-02-29'"),
        (dt.datetime(2024, 2, 29, 13, 5, 1, 250000), "'2024-02-29 13:05:01.250000'"),
    ],
)
def test_cells_become_exact_literals(value: object, literal: str) -> None:
    assert seeds.sql_literal(value) == literal


def test_rows_become_values_tuples() -> None:
    assert seeds.values_rows([(1, None, "a'b")]) == ["('1', null, 'a\\'b')"]


def _stray(tmp_path: Path, with_delta_log: bool) -> locations.StrayFolder:
    folder = tmp_path / "data" / "warehouse" / "crash.db" / "events"
    folder.mkdir(parents=True)
    (folder / "part-00000.parquet").write_bytes(b"PAR1")
    if with_delta_log:
        (folder / "_delta_log").mkdir()
        (folder / "_delta_log" / "00000000000000000000.json").write_text("{}")
    stray = locations.find_stray_folder(folder.as_uri(), "crash.events")
    assert stray is not None
    return stray


def test_empty_or_absent_folder_is_no_stray(tmp_path: Path) -> None:
    assert locations.find_stray_folder((tmp_path / "absent").as_uri(), "s.t") is None
    assert locations.find_stray_folder(tmp_path.as_uri(), "s.t") is None
    assert locations.find_stray_folder("s3a://bucket/table", "s.t") is None


def test_stray_folder_in_data_is_moved_aside_never_deleted(tmp_path: Path) -> None:
    stray = _stray(tmp_path, with_delta_log=False)
    now = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    message = locations.recover(stray, tmp_path / "data", now=now)
    moved = tmp_path / "data" / "recovered" / "crash.events-20260102T030405000000Z"
    assert (moved / "part-00000.parquet").read_bytes() == b"PAR1"
    assert not stray.folder.exists()
    assert message.startswith("Moved data/warehouse/crash.db/events (files that are not a Delta table")
    assert (
        "to data/recovered/crash.events-20260102T030405000000Z so that crash.events can be created" in message
    )
    assert "\n" not in message


def test_stray_delta_folder_is_named_as_such(tmp_path: Path) -> None:
    assert _stray(tmp_path, with_delta_log=True).kind == "a Delta table"


def test_stray_folder_outside_data_is_reported_with_the_command(tmp_path: Path) -> None:
    stray = _stray(tmp_path, with_delta_log=False)
    with pytest.raises(DbtRuntimeError) as raised:
        locations.recover(stray, tmp_path / "elsewhere")
    message = str(raised.value)
    assert f"its folder {stray.folder} already holds files that are not a Delta table" in message
    assert f"mv {stray.folder} {stray.folder}.stray" in message
    assert stray.folder.is_dir()
