"""Behaviour of the synthetic inventory generator: determinism, shape, demand, bad rows, Parquet."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from casebook.data.inventory import (
    LAST_HISTORY_DAY,
    SCALES,
    UNKNOWN_MATERIAL_BASE,
    generate_inventory,
    write_inventory,
)

SEED = 7
KEYS = ["location_id", "material_id"]


@pytest.fixture(scope="module")
def tiny() -> dict[str, pd.DataFrame]:
    return generate_inventory("tiny", SEED)


def _clean_issues(issues: pd.DataFrame) -> pd.DataFrame:
    unknown = issues["material_id"] >= f"MAT{UNKNOWN_MATERIAL_BASE:06d}"
    usable = issues.notna().all(axis=1) & (issues["issued_qty"] >= 0) & ~unknown & ~issues.duplicated()
    return issues[usable]


def test_same_seed_gives_identical_tables_and_another_seed_differs(tiny: dict[str, pd.DataFrame]) -> None:
    again = generate_inventory("tiny", SEED)
    for table, frame in tiny.items():
        pd.testing.assert_frame_equal(frame, again[table])
    other = generate_inventory("tiny", SEED + 1)
    assert not tiny["issues"].equals(other["issues"])


def test_tiny_is_two_locations_of_ten_materials_over_a_year(tiny: dict[str, pd.DataFrame]) -> None:
    materials = tiny["materials"].dropna(subset=KEYS).drop_duplicates(KEYS)
    assert len(materials) == 2 * 10
    dates = pd.to_datetime(tiny["issues"]["issue_date"].dropna().astype("string"))
    assert dates.max().date() <= LAST_HISTORY_DAY
    assert dates.min().date() >= LAST_HISTORY_DAY - timedelta(days=364)
    assert set(tiny["stock"]["snapshot_date"].dropna()) == {LAST_HISTORY_DAY}


def test_large_is_shells_scale() -> None:
    large = SCALES["large"]
    assert (large.locations, large.materials, large.series) == (50, 3_000, 150_000)
    assert SCALES["tiny"].series == 20
    with pytest.raises(
        ValueError, match="Unknown inventory scale 'huge': expected one of tiny, small, medium, large"
    ):
        generate_inventory("huge", SEED)


def test_demand_is_intermittent_and_skewed() -> None:
    issues = _clean_issues(generate_inventory("small", SEED)["issues"])
    days = SCALES["small"].days
    issue_days = issues.groupby(KEYS).size()
    assert (issue_days / days).median() < 0.2  # most days of a typical series have no issue
    sizes = issues["issued_qty"]
    assert sizes.min() >= 1
    assert sizes.quantile(0.999) > 5 * sizes.median()  # occasional large issues


def test_some_series_stop_issuing_long_before_the_end(tiny: dict[str, pd.DataFrame]) -> None:
    issues = _clean_issues(tiny["issues"])
    last = pd.to_datetime(issues.groupby(KEYS)["issue_date"].max().astype("string"))
    stale = last < pd.Timestamp(LAST_HISTORY_DAY - timedelta(days=189))
    materials = tiny["materials"].dropna(subset=KEYS).drop_duplicates(KEYS)
    never = len(materials) - len(last)
    assert stale.sum() >= 1
    assert never >= 1


def test_every_kind_of_bad_row_is_in_the_first_location(tiny: dict[str, pd.DataFrame]) -> None:
    first = {table: frame[frame["location_id"].fillna("LOC001") == "LOC001"] for table, frame in tiny.items()}
    materials, issues, stock = first["materials"], first["issues"], first["stock"]
    unknown = f"MAT{UNKNOWN_MATERIAL_BASE:06d}"
    assert materials["lead_time_days"].isna().sum() >= 1
    assert (materials["lead_time_days"] <= 0).sum() >= 1
    assert materials["material_id"].isna().sum() >= 1
    assert materials.duplicated().sum() >= 1
    assert issues["material_id"].isna().sum() >= 1
    assert issues["issue_date"].isna().sum() >= 1
    assert (issues["issued_qty"] < 0).sum() >= 1
    assert (issues["material_id"] >= unknown).sum() >= 1
    assert issues.duplicated().sum() >= 1
    assert tiny["stock"]["location_id"].isna().sum() >= 1
    assert (stock["on_hand_qty"] < 0).sum() >= 1
    assert (stock["material_id"] >= unknown).sum() >= 1
    assert stock.duplicated().sum() >= 1


def test_write_inventory_lands_typed_parquet_and_replaces_old_parts(tmp_path: Path) -> None:
    stale = tmp_path / "inventory" / "issues" / "part-00099.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    counts = write_inventory(tmp_path, "tiny", SEED)
    assert not stale.exists()
    frames = generate_inventory("tiny", SEED)
    assert counts == {table: len(frame) for table, frame in frames.items()}
    issues = pq.read_table(tmp_path / "inventory" / "issues")
    assert issues.num_rows == counts["issues"]
    assert issues.schema.field("issue_date").type == pa.date32()
    assert issues.schema.field("issued_qty").type == pa.int64()
    materials = pq.read_table(tmp_path / "inventory" / "materials")
    assert materials.schema.field("lead_time_days").type == pa.int64()
    assert sorted(p.name for p in (tmp_path / "inventory" / "stock").iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
    ]
