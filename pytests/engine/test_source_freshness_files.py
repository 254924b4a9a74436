"""The load time of a file-based source that holds no rows: its newest data file's modification time."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from dbt.adapters.casebook.freshness import newest_file_time, timestamp_literal


def _file(path: Path, moment: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    os.utime(path, (moment.timestamp(), moment.timestamp()))


def test_the_newest_data_file_counts_and_markers_do_not(tmp_path: Path) -> None:
    _file(tmp_path / "part-00000.parquet", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    _file(tmp_path / "sub" / "part-00001.parquet", datetime(2026, 1, 3, 0, 0, 0, tzinfo=UTC))
    _file(tmp_path / ".landed", datetime(2026, 2, 1, tzinfo=UTC))
    _file(tmp_path / "_SUCCESS", datetime(2026, 2, 1, tzinfo=UTC))
    _file(tmp_path / ".hidden" / "part-9.parquet", datetime(2026, 2, 1, tzinfo=UTC))
    assert newest_file_time(f"file:{tmp_path}") == datetime(2026, 1, 3, tzinfo=UTC)


def test_a_folder_without_data_files_or_no_folder_has_no_time(tmp_path: Path) -> None:
    _file(tmp_path / ".landed", datetime(2026, 2, 1, tzinfo=UTC))
    assert newest_file_time(str(tmp_path)) is None
    assert newest_file_time(str(tmp_path / "missing")) is None


def test_the_literal_is_utc_to_the_microsecond() -> None:
    moment = datetime(2026, 1, 3, 4, 5, 6, 789, tzinfo=UTC)
    assert timestamp_literal(moment) == "timestamp'2026-01-03 04:05:06.000789'"
