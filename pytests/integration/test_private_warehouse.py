"""The warehouse dbt builds is private like the rest of data/: no file or folder open to group or others."""

from __future__ import annotations

import stat

import pytest
from dbt.cli.main import dbtRunnerResult

from pytests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration


def test_tables_metastore_and_runs_are_readable_by_their_owner_only(
    warehouse: Warehouse, first_build: dbtRunnerResult
) -> None:
    built = [warehouse.data_dir / name for name in ("warehouse", "metastore", "mlflow")]
    paths = [path for folder in built if folder.is_dir() for path in [folder, *folder.rglob("*")]]
    assert any(path.suffix == ".parquet" for path in paths)
    opened = {
        str(path.relative_to(warehouse.data_dir)): oct(stat.S_IMODE(path.stat().st_mode))
        for path in paths
        if not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) & 0o077
    }
    assert not opened, f"group or others may read or enter: {dict(list(opened.items())[:10])}"
