"""The data folder is private: created 0700, Casebook's files in it 0600."""

from __future__ import annotations

import stat
from pathlib import Path

from pytests.reliability.conftest import run_casebook


def test_generated_data_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"

    result = run_casebook("data", "generate", "--scale", "tiny", "--domain", "pods", data_dir=data)

    assert result.returncode == 0, result.stderr
    modes = {path: stat.S_IMODE(path.stat().st_mode) for path in [data, *data.rglob("*")]}
    assert any(path.suffix == ".parquet" for path in modes) and any(path.name == ".landed" for path in modes)
    opened = {str(path): oct(mode) for path, mode in modes.items() if mode & 0o077}
    assert not opened, f"group or others may read or enter: {opened}"
    assert modes[data] == 0o700
