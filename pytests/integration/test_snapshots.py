"""Snapshots (SCD2, Delta) of the inventory material master and stock and of the member product
catalog, and rebuilding the marts as of a past load (var snapshot_as_of), over two loads.

Load 1 is the shared tiny warehouse's first build, which takes every snapshot. The test lands load 2
in that warehouse and rebuilds in this process (warm: no JVM start, no cold queries), so it runs after
every other test on the shared warehouse (marker changes_shared_warehouse). The rebuild as of load 1
runs only the models between the snapshots and the marts, with the first build's vars."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from casebook.data.landing import land
from pytests.conftest import REPO_ROOT, dbt_command
from pytests.integration.conftest import Warehouse

pytestmark = pytest.mark.integration

PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "snapshots", "tests")
MARTS = {
    "fct_inventory_recommendations": ["location_id", "material_id"],
    "fct_inventory_stock_positions": ["location_id", "material_id"],
    "fct_member_next_email_rankings": ["member_id", "product_rank"],
    "fct_member_product_models": ["product_id"],
}
INVENTORY_MARTS = ("fct_inventory_recommendations", "fct_inventory_stock_positions")
# Each snapshot and the marts downstream of it.
SNAPSHOT_MARTS = {
    "snap_inventory__materials": INVENTORY_MARTS,
    "snap_inventory__stock": INVENTORY_MARTS,
    "snap_members__product_catalog": ("fct_member_next_email_rankings", "fct_member_product_models"),
}


def _copy_project(folder: Path) -> Path:
    """The project's dbt files, so the second load can change the catalog seed."""
    folder.mkdir()
    for part in PROJECT_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        else:
            shutil.copy2(source, folder / part)
    return folder


def _dbt(warehouse: Warehouse, project: Path, *args: str) -> None:
    """dbt in this process on the shared warehouse, from the project copy (its own target folder)."""
    warehouse.dbt_succeeds(*args, project_dir=project, target_path=project / "target")


def _build(warehouse: Warehouse, project: Path) -> None:
    """The marts and everything upstream of them: seeds, snapshots (a new version per change), models."""
    selection = ["--select", *(f"+{mart}" for mart in MARTS)]
    kinds = [arg for kind in ("seed", "snapshot", "model") for arg in ("--resource-type", kind)]
    _dbt(warehouse, project, "build", *selection, *kinds)


def _rebuild_as_of(warehouse: Warehouse, project: Path, as_of: str) -> None:
    """The models between the snapshots and the marts, rebuilt as of `as_of`. Only staging reads the
    var (from a snapshot), so the models upstream of no snapshot would come out as they are."""
    pairs = [(snapshot, mart) for snapshot, marts in SNAPSHOT_MARTS.items() for mart in marts]
    selection = ["--select", *(f"{snapshot}+,+{mart}" for snapshot, mart in pairs)]
    variables = f"{{snapshot_as_of: '{as_of}'}}"
    _dbt(warehouse, project, "build", *selection, "--resource-type", "model", "--vars", variables)


def _read_marts(read_delta, data_dir: Path) -> dict[str, pd.DataFrame]:
    marts = {}
    for mart, keys in MARTS.items():
        frame = read_delta(data_dir / "warehouse" / "marts.db" / mart)
        marts[mart] = frame.sort_values(keys).reset_index(drop=True)
    return marts


def _second_inventory_load(raw: Path) -> None:
    """Load 2: longer lead times for some materials, new stock counts a day later for others."""

    def write(root: Path) -> dict[str, int]:
        counts = {}
        for table, change in (("materials", _longer_lead_times), ("stock", _recounted_stock)):
            frame = change(pd.read_parquet(raw / "inventory" / table))
            (root / "inventory" / table).mkdir(parents=True)
            frame.to_parquet(root / "inventory" / table / "part-00000.parquet", index=False)
            counts[table] = len(frame)
        return counts

    land(raw, "inventory", write, "test: second load")


def _longer_lead_times(materials: pd.DataFrame) -> pd.DataFrame:
    lead_times = materials["lead_time_days"]
    return materials.assign(lead_time_days=lead_times.where(materials.index % 3 != 0, lead_times + 5))


def _recounted_stock(stock: pd.DataFrame) -> pd.DataFrame:
    day_later = [day + timedelta(days=1) for day in stock["snapshot_date"]]
    return stock.assign(
        snapshot_date=pd.Series(day_later, index=stock.index, dtype=stock["snapshot_date"].dtype),
        on_hand_qty=stock["on_hand_qty"] + 7,
    )


def _second_catalog(project: Path) -> None:
    """Load 2 of the catalog seed: every product renamed and a tenth dearer, and the first product of
    each category moved to the next category (the product models' mart shows the category)."""
    path = project / "seeds" / "members" / "members_product_catalog.csv"
    catalog = pd.read_csv(path, dtype={"product_id": str})
    catalog["product_name"] = catalog["product_name"] + " (new)"
    catalog["list_price_usd"] = (catalog["list_price_usd"] * 1.1).round(2)
    firsts = ~catalog["category"].duplicated()
    categories = catalog.loc[firsts, "category"]
    catalog.loc[firsts, "category"] = categories.shift(-1, fill_value=categories.iloc[0])
    catalog.to_csv(path, index=False)


@pytest.mark.changes_shared_warehouse
def test_marts_rebuilt_as_of_the_first_load_equal_the_first_loads_marts(
    tmp_path: Path, warehouse: Warehouse, first_build, read_delta
) -> None:
    data_dir = warehouse.data_dir
    tables = [f"marts.db/{mart}" for mart in MARTS] + [f"snapshots.db/{name}" for name in SNAPSHOT_MARTS]
    missing = [table for table in tables if not (data_dir / "warehouse" / table).is_dir()]
    if missing and (os.environ.get("CASEBOOK_TEST_SELECT") or os.environ.get("CASEBOOK_TEST_DOMAINS")):
        pytest.skip(f"the narrowed tiny build has no {', '.join(missing)}")
    project = _copy_project(tmp_path / "project")
    first = _read_marts(read_delta, data_dir)
    first_load_time = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    time.sleep(1)  # load 2's versions start in a later second than first_load_time

    _second_inventory_load(data_dir / "raw")
    _second_catalog(project)
    _build(warehouse, project)
    second = _read_marts(read_delta, data_dir)
    for mart in MARTS:
        assert not first[mart].equals(second[mart]), f"load 2 did not change {mart}"

    snapshots = {name: read_delta(data_dir / "warehouse" / "snapshots.db" / name) for name in SNAPSHOT_MARTS}
    for name, versions in snapshots.items():
        closed = versions[versions["dbt_valid_to"].notna()]
        assert len(closed) > 0, f"{name} kept no earlier version"
        assert (versions["dbt_valid_to"].isna()).sum() == len(versions) - len(closed)

    _rebuild_as_of(warehouse, project, first_load_time)
    rebuilt = _read_marts(read_delta, data_dir)
    for mart in MARTS:
        pd.testing.assert_frame_equal(rebuilt[mart], first[mart], check_like=True, obj=mart)


def test_a_malformed_as_of_time_is_refused_naming_the_var(tmp_path: Path) -> None:
    env = {**os.environ, "CASEBOOK_DATA_DIR": str(tmp_path)}
    command = dbt_command("parse", "--vars", "{snapshot_as_of: yesterday}", target_path=tmp_path / "target")
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "var snapshot_as_of is 'yesterday'" in output
