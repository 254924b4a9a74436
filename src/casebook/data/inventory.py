"""Deterministic synthetic spare-parts inventory: material issues, lead times and current stock.

The same (scale, seed) always gives the same rows, so tests and benchmarks can rely on exact
counts without shipping data. Three raw tables land under raw/inventory/:

  * materials: one row per (location, material) a location stocks, with its replenishment lead
    time in days and unit cost in USD (the material master);
  * issues: one row per (location, material, day) with at least one issue, the quantity issued
    that day (days without issues have no row);
  * stock: the current on-hand quantity per (location, material), as of the snapshot date
    (the last day of the history).

Demand is skewed and intermittent, like spare parts at a refinery: each series issues on a
share of days drawn log-uniformly between 0.3 % and 50 % (most series are intermittent, a few
smooth), issue sizes are log-normal around a material's typical size with occasional large
issues (5-20 times the usual), and about one series in ten stops issuing 190 or more days
before the end of the history (a slow mover), some never issue at all.

Injected bad rows (the pipeline must quarantine them), about 0.2 % of each table per kind:
materials lose their lead time or get a non-positive one (the row is replaced, so the
material's issues and stock become unusable too), and materials, issues and stock rows get
added copies with a missing key, a negative quantity, an unknown material id or exactly
duplicated. The first location always carries at least one of every kind.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from casebook.data.lake import replace_folder, write_frame
from casebook.data.scales import scale_of

__all__ = [
    "BAD_ROW_KINDS",
    "LAST_HISTORY_DAY",
    "SCALES",
    "InventoryScale",
    "generate_inventory",
    "write_inventory",
]

LAST_HISTORY_DAY = date(2024, 12, 31)
UNKNOWN_MATERIAL_BASE = 900_000  # material ids at or above this number are in no master

BAD_ROW_KINDS = (
    "material_missing_lead_time",  # lead_time_days is null (replaces the clean row)
    "material_non_positive_lead_time",  # lead_time_days <= 0 (replaces the clean row)
    "material_missing_key",  # added copy of a material row with a null material_id
    "material_duplicate",  # added exact copy of a clean material row
    "issue_missing_key",  # added copy of an issue with a null material_id or issue_date
    "issue_negative_qty",  # added copy of an issue with the quantity negated
    "issue_unknown_material",  # added copy of an issue for a material in no master
    "issue_duplicate",  # added exact copy of an issue row
    "stock_missing_key",  # added copy of a stock row with a null location_id
    "stock_negative_on_hand",  # added copy of a stock row with a negative on-hand quantity
    "stock_unknown_material",  # added stock row for a material in no master
    "stock_duplicate",  # added exact copy of a stock row
)

_BAD_RATE = 0.002
_SLOW_MOVER_SHARE = 0.08  # series that stop issuing at least 190 days before the end
_NEVER_ISSUED_SHARE = 0.02  # series without a single issue in the history
_LARGE_ISSUE_SHARE = 0.03
_MIN_ISSUE_RATE, _MAX_ISSUE_RATE = 0.003, 0.5


@dataclass(frozen=True)
class InventoryScale:
    """Size of a generated data set: every location stocks every material."""

    locations: int
    materials: int
    days: int

    @property
    def series(self) -> int:
        """Number of (location, material) series."""
        return self.locations * self.materials


SCALES: dict[str, InventoryScale] = {
    "tiny": InventoryScale(locations=2, materials=10, days=365),
    "small": InventoryScale(locations=5, materials=200, days=365),
    "medium": InventoryScale(locations=20, materials=1_000, days=365),
    "large": InventoryScale(locations=50, materials=3_000, days=730),  # Shell's scale
}


@dataclass(frozen=True)
class _Catalogue:
    """Material traits shared by every location, drawn once per (scale, seed)."""

    material_ids: np.ndarray
    issue_rate: np.ndarray
    typical_size: np.ndarray
    lead_time_days: np.ndarray
    unit_cost_usd: np.ndarray


# --------------------------------------------------------------------------- public API


def generate_inventory(scale: str, seed: int) -> dict[str, pd.DataFrame]:
    """All three raw tables (materials, issues, stock) of a scale, clean plus injected bad rows.

    Fine up to `medium`; `write_inventory` streams one location at a time for `large`.
    """
    parts = list(_iter_locations(scale, seed))
    return {table: pd.concat([part[table] for part in parts], ignore_index=True) for table in parts[0]}


def write_inventory(raw_dir: Path, scale: str, seed: int) -> dict[str, int]:
    """Write raw_dir/inventory/{materials,issues,stock}/part-NNNNN.parquet; return row counts.

    One part file per location and table; existing files are removed first so a rewrite never
    leaves stale parts. Output is identical for the same (scale, seed).
    """
    scale_of(SCALES, scale, "inventory")
    base = Path(raw_dir) / "inventory"
    counts = {"materials": 0, "issues": 0, "stock": 0}
    for table in counts:
        replace_folder(base / table)
    for part, frames in enumerate(_iter_locations(scale, seed)):
        for table, frame in frames.items():
            write_frame(frame, base / table, part)
            counts[table] += len(frame)
    return counts


# --------------------------------------------------------------------------- generation


def _iter_locations(scale_name: str, seed: int) -> Iterator[dict[str, pd.DataFrame]]:
    """Yield {materials, issues, stock} frames for each location in turn."""
    scale = scale_of(SCALES, scale_name, "inventory")
    root = np.random.SeedSequence(seed)
    catalogue_seq, locations_seq = root.spawn(2)
    catalogue = _catalogue(np.random.default_rng(catalogue_seq), scale.materials)
    first_day = LAST_HISTORY_DAY - timedelta(days=scale.days - 1)
    for index, child in enumerate(locations_seq.spawn(scale.locations)):
        location_id = f"LOC{index + 1:03d}"
        yield _location_frames(
            np.random.default_rng(child),
            location_id,
            catalogue,
            scale,
            first_day,
            ensure_every_kind=index == 0,
        )


def _catalogue(rng: np.random.Generator, count: int) -> _Catalogue:
    """Material ids and traits: issue rate, typical issue size, base lead time, unit cost."""
    log_rate = rng.uniform(math.log(_MIN_ISSUE_RATE), math.log(_MAX_ISSUE_RATE), count)
    return _Catalogue(
        material_ids=np.array([f"MAT{i + 1:06d}" for i in range(count)], dtype=object),
        issue_rate=np.exp(log_rate),
        typical_size=np.clip(rng.lognormal(math.log(4.0), 1.0, count), 1.0, 500.0),
        lead_time_days=np.clip(rng.lognormal(math.log(21.0), 0.7, count), 2.0, 120.0),
        unit_cost_usd=np.round(np.clip(rng.lognormal(math.log(40.0), 1.5, count), 0.5, 50_000.0), 2),
    )


def _location_frames(
    rng: np.random.Generator,
    location_id: str,
    catalogue: _Catalogue,
    scale: InventoryScale,
    first_day: date,
    *,
    ensure_every_kind: bool,
) -> dict[str, pd.DataFrame]:
    """The three tables of one location: clean rows, then the injected bad rows."""
    n = scale.materials
    activity = rng.lognormal(-0.5 * 0.3**2, 0.3, n)
    rate = np.clip(catalogue.issue_rate * activity, 0.001, 0.8)
    lead_time = np.clip(np.round(catalogue.lead_time_days * rng.lognormal(0.0, 0.2, n)), 1, 180)
    last_active_day = _last_active_day(rng, n, scale.days, ensure_every_kind)

    occurs = rng.random((n, scale.days)) < rate[:, None]
    occurs &= np.arange(scale.days)[None, :] <= last_active_day[:, None]
    series, day = np.nonzero(occurs)  # row-major: sorted by material, then day
    qty = _issue_sizes(rng, catalogue.typical_size[series])

    on_hand = _on_hand(rng, rate, catalogue.typical_size, lead_time, last_active_day)
    materials = _frame(
        location_id=location_id,
        material_id=catalogue.material_ids,
        lead_time_days=pd.array(lead_time.astype(np.int64), dtype="Int64"),
        unit_cost_usd=catalogue.unit_cost_usd,
    )
    issues = _frame(
        location_id=location_id,
        material_id=catalogue.material_ids[series],
        issue_date=_dates(first_day, day),
        issued_qty=pd.array(qty, dtype="Int64"),
    )
    stock = _frame(
        location_id=location_id,
        material_id=catalogue.material_ids,
        snapshot_date=_dates(first_day, np.full(n, scale.days - 1)),
        on_hand_qty=pd.array(on_hand, dtype="Int64"),
    )
    return _inject_bad_rows(rng, materials, issues, stock, ensure_every_kind)


def _last_active_day(rng: np.random.Generator, n: int, days: int, ensure: bool) -> np.ndarray:
    """Index of the last day each series may issue: the end, or earlier for slow movers."""
    last = np.full(n, days - 1)
    kind = rng.random(n)
    slow = kind < _SLOW_MOVER_SHARE
    never = (kind >= _SLOW_MOVER_SHARE) & (kind < _SLOW_MOVER_SHARE + _NEVER_ISSUED_SHARE)
    if ensure and n >= 3:  # the first location always has a slow mover and a never-issued series
        slow[1], never[2] = True, True
        slow[2], never[1] = False, False
    # Slow movers stop 190 days or more before the end (never earlier than day 0).
    stop_back = rng.integers(190, max(days, 191), n)
    last[slow] = np.maximum(days - 1 - stop_back[slow], 0)
    last[never] = -1
    return last


def _issue_sizes(rng: np.random.Generator, typical: np.ndarray) -> np.ndarray:
    """Integer issue quantities: log-normal around the typical size, sometimes 5-20x larger."""
    size = typical * rng.lognormal(0.0, 0.5, len(typical))
    large = rng.random(len(typical)) < _LARGE_ISSUE_SHARE
    size[large] *= rng.uniform(5.0, 20.0, int(large.sum()))
    return np.maximum(np.ceil(size), 1).astype(np.int64)


def _on_hand(
    rng: np.random.Generator,
    rate: np.ndarray,
    typical: np.ndarray,
    lead_time: np.ndarray,
    last_active_day: np.ndarray,
) -> np.ndarray:
    """Current stock: scattered around a rough cover of lead-time demand (stock-outs and excess)."""
    issues_in_lead_time = rate * lead_time
    cover = typical * (issues_in_lead_time + 2.0 * np.sqrt(issues_in_lead_time))
    level = cover * rng.lognormal(0.0, 0.8, len(typical))
    level = np.where(last_active_day < 0, typical * rng.lognormal(1.0, 1.0, len(typical)), level)
    level[rng.random(len(typical)) < 0.1] = 0.0
    return np.round(level).astype(np.int64)


# --------------------------------------------------------------------------- bad rows


def _inject_bad_rows(
    rng: np.random.Generator,
    materials: pd.DataFrame,
    issues: pd.DataFrame,
    stock: pd.DataFrame,
    ensure: bool,
) -> dict[str, pd.DataFrame]:
    """Apply every BAD_ROW_KINDS kind to one location's tables."""
    sizes = {"material": len(materials), "issue": len(issues), "stock": len(stock)}
    # Missing issue keys alternate between a null material and a null date: ensure two of them.
    count = {
        kind: _bad_count(
            rng, sizes[kind.split("_", 1)[0]], (2 if kind == "issue_missing_key" else 1) * ensure
        )
        for kind in BAD_ROW_KINDS
    }

    # Lead-time defects replace the last materials' rows (the forced slow movers stay usable).
    n_missing = count["material_missing_lead_time"]
    n_replaced = min(n_missing + count["material_non_positive_lead_time"], len(materials))
    replaced = np.arange(len(materials) - n_replaced, len(materials))[::-1]
    materials = materials.copy()
    materials.loc[replaced[:n_missing], "lead_time_days"] = pd.NA
    non_positive = replaced[n_missing:]
    materials.loc[non_positive, "lead_time_days"] = -np.arange(len(non_positive))  # 0, -1, -2, ...
    clean_materials = materials.drop(index=replaced)

    keyless = _copies(rng, issues, count["issue_missing_key"])
    keyless.loc[keyless.index[0::2], "material_id"] = None
    keyless.loc[keyless.index[1::2], "issue_date"] = None
    negative = _copies(rng, issues, count["issue_negative_qty"])
    negative["issued_qty"] = -negative["issued_qty"]
    unknown = _copies(rng, issues, count["issue_unknown_material"])
    unknown["material_id"] = _unknown_ids(len(unknown))

    negative_stock = _copies(rng, stock, count["stock_negative_on_hand"])
    negative_stock["on_hand_qty"] = -negative_stock["on_hand_qty"] - 1
    unknown_stock = _copies(rng, stock, count["stock_unknown_material"])
    unknown_stock["material_id"] = _unknown_ids(len(unknown_stock))
    return {
        "materials": _concat(
            materials,
            _copies(rng, clean_materials, count["material_missing_key"], material_id=None),
            _copies(rng, clean_materials, count["material_duplicate"]),
        ),
        "issues": _concat(issues, keyless, negative, unknown, _copies(rng, issues, count["issue_duplicate"])),
        "stock": _concat(
            stock,
            _copies(rng, stock, count["stock_missing_key"], location_id=None),
            negative_stock,
            unknown_stock,
            _copies(rng, stock, count["stock_duplicate"]),
        ),
    }


def _bad_count(rng: np.random.Generator, rows: int, at_least: int) -> int:
    """About _BAD_RATE of `rows`, and at least `at_least` (when the table has rows)."""
    count = int(rng.binomial(rows, _BAD_RATE))
    return max(count, min(at_least, rows))


def _copies(rng: np.random.Generator, frame: pd.DataFrame, count: int, **overrides: object) -> pd.DataFrame:
    """`count` distinct rows of `frame` (sorted by position), with some columns overridden."""
    size = min(count, len(frame))
    picked = np.sort(rng.choice(len(frame), size=size, replace=False)) if size else np.arange(0)
    copies = frame.iloc[picked].copy()
    for column, value in overrides.items():
        copies[column] = value
    return copies


def _unknown_ids(count: int) -> np.ndarray:
    return np.array([f"MAT{UNKNOWN_MATERIAL_BASE + i:06d}" for i in range(count)], dtype=object)


# --------------------------------------------------------------------------- frame helpers


def _dates(first_day: date, offsets: np.ndarray) -> pd.Series:
    """Calendar dates `offsets` days after first_day, as an Arrow date32 column (Spark: date)."""
    days = np.datetime64(first_day, "D") + offsets.astype("timedelta64[D]")
    return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(days, type=pa.date32())))


def _frame(location_id: str, **columns: object) -> pd.DataFrame:
    """A table of one location: its id repeated, then the given columns."""
    frame = pd.DataFrame(columns)
    frame.insert(0, "location_id", pd.Series([location_id] * len(frame), dtype=object))
    return frame


def _concat(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)
