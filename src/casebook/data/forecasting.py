"""Deterministic synthetic daily store-item sales, and the loader for Kaggle's train.csv (chapters 4 and 6).

One raw table lands under raw/forecasting/sales in the Kaggle "Store Item Demand Forecasting
Challenge" format: date, store, item, sales (units sold that day). The generator draws each day's
sales as Poisson counts around

    level(store, item) * trend(t) * yearly(day of year) * weekly(day of week)

with a store effect and an item effect (like Kaggle's, whose shape does not depend on the series),
a linear trend of a few percent a year, a yearly wave peaking in July and a weekly cycle that is
highest on Sundays. The same (scale, seed) always gives the same rows.

Injected bad input (the pipeline must cope with it):
  * one short series per scale: an extra item of the last store that started selling
    SHORT_SERIES_DAYS days before the end (too short to fit);
  * a date gap: GAP_DAYS consecutive days missing from one series;
  * negative sales: a clean row's sales replaced by a negative number (a booked return);
  * missing keys: added copies with a null store or a null date;
  * duplicates: added exact copies of clean rows.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from casebook.data.lake import INT32_MAX, checked_integers, replace_folder, write_frame
from casebook.data.scales import scale_of

__all__ = [
    "LAST_DAY",
    "RAW_SCHEMA",
    "SCALES",
    "ForecastingScale",
    "first_day",
    "generate_forecasting",
    "ingest_store_item_demand",
    "read_store_item_demand",
    "write_forecasting",
]

LAST_DAY = date(2017, 12, 31)  # Kaggle's train.csv ends here too
SHORT_SERIES_DAYS = 120
GAP_DAYS = 3
KAGGLE_MEMBER = "train.csv"
RAW_SCHEMA = pa.schema(
    [("date", pa.date32()), ("store", pa.int64()), ("item", pa.int64()), ("sales", pa.int64())]
)


@dataclass(frozen=True)
class ForecastingScale:
    """Size of a generated data set: every store sells every item on every day."""

    stores: int
    items: int
    days: int

    @property
    def series(self) -> int:
        """Number of full-length (store, item) series (the injected short series not counted)."""
        return self.stores * self.items


SCALES: dict[str, ForecastingScale] = {
    "tiny": ForecastingScale(stores=2, items=2, days=830),  # two years of training, then the horizon
    "small": ForecastingScale(stores=10, items=50, days=1_826),  # Kaggle's shape: 2013-01-01..2017-12-31
    "medium": ForecastingScale(stores=20, items=100, days=1_826),
    "large": ForecastingScale(stores=50, items=200, days=1_826),
}


def generate_forecasting(scale: str, seed: int) -> pd.DataFrame:
    """The raw sales table of a scale (clean rows plus the injected bad input), Kaggle's columns."""
    size = scale_of(SCALES, scale, "forecasting")
    rng = np.random.default_rng(np.random.SeedSequence([seed, 6]))
    days = pd.date_range(end=pd.Timestamp(LAST_DAY), periods=size.days, freq="D")
    store_effect = rng.uniform(0.6, 1.4, size.stores)
    item_effect = rng.lognormal(np.log(25.0), 0.5, size.items + 1)  # the last one is the short item
    t_years = (days - days[0]).days.to_numpy() / 365.25
    trend = 1.0 + rng.uniform(0.02, 0.08) * t_years
    yearly = 1.0 + 0.25 * np.sin(2 * np.pi * (days.dayofyear.to_numpy() - 105) / 365.25)
    weekday_factor = np.array([0.80, 0.92, 0.92, 0.97, 1.03, 1.10, 1.20])  # Monday .. Sunday
    shape = trend * yearly * weekday_factor[days.dayofweek.to_numpy()]

    frames = []
    for store in range(size.stores):
        for item in range(size.items):
            mean = store_effect[store] * item_effect[item] * shape
            frames.append(_series(days, store + 1, item + 1, rng.poisson(mean)))
    short_days = days[-SHORT_SERIES_DAYS:]
    short_mean = store_effect[-1] * item_effect[-1] * shape[-SHORT_SERIES_DAYS:]
    frames.append(_series(short_days, size.stores, size.items + 1, rng.poisson(short_mean)))
    clean = pd.concat(frames, ignore_index=True)
    return _inject_bad_rows(rng, clean, size)


def write_forecasting(raw_dir: Path, scale: str, seed: int) -> dict[str, int]:
    """Write raw_dir/forecasting/sales/part-00000.parquet; return its row count."""
    sales = generate_forecasting(scale, seed)
    return {"sales": _write_sales(Path(raw_dir), sales)}


def read_store_item_demand(path: Path | str) -> pd.DataFrame:
    """Kaggle's train.csv (date, store, item, sales), from the CSV or from a zip holding it.

    A folder is searched for train.csv, then for a zip holding it. Columns come back as RAW_SCHEMA's:
    an unparseable date or number, or one beyond the 32-bit range, becomes null (and is quarantined by
    staging), never an error or a wrapped value.
    """
    path = Path(path)
    if path.is_dir():
        found = sorted(path.glob(KAGGLE_MEMBER)) or sorted(path.glob("*.zip"))
        if not found:
            raise FileNotFoundError(f"No {KAGGLE_MEMBER} or zip file in {path}")
        path = found[0]
    text = _read_train_csv(path)
    missing = {"date", "store", "item", "sales"} - set(text.columns)
    if missing:
        raise ValueError(f"{path} lacks the columns {sorted(missing)}: not Kaggle's train.csv format")
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(text["date"], errors="coerce", format="%Y-%m-%d").dt.date,
            **{
                name: checked_integers(text[name], -INT32_MAX, INT32_MAX)
                for name in ("store", "item", "sales")
            },
        }
    )
    frame["date"] = frame["date"].where(frame["date"].notna(), None)
    return frame


def _read_train_csv(path: Path) -> pd.DataFrame:
    """The CSV's cells as text, from the file or from the zip holding it."""
    if path.suffix != ".zip":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    try:
        with zipfile.ZipFile(path) as archive:
            member = next((n for n in archive.namelist() if Path(n).name == KAGGLE_MEMBER), None)
            if member is None:
                raise FileNotFoundError(f"{path} holds no {KAGGLE_MEMBER}: {archive.namelist()}")
            with archive.open(member) as handle:
                return pd.read_csv(handle, dtype=str, keep_default_na=False)
    except zipfile.BadZipFile as error:
        raise ValueError(
            f"{path} is not a valid zip file ({error}): download it again, "
            f"or pass the {KAGGLE_MEMBER} inside it"
        ) from error


def ingest_store_item_demand(path: Path, raw: Path) -> dict[str, int]:
    """`casebook data ingest store_item_demand PATH`: Kaggle's train.csv (or its zip) becomes the source."""
    return {"sales": _write_sales(raw, read_store_item_demand(path))}


# --------------------------------------------------------------------------- helpers


def _series(days: pd.DatetimeIndex, store: int, item: int, sales: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": days.date,
            "store": pd.array(np.full(len(days), store), dtype="Int64"),
            "item": pd.array(np.full(len(days), item), dtype="Int64"),
            "sales": pd.array(sales.astype(np.int64), dtype="Int64"),
        }
    )


def _inject_bad_rows(rng: np.random.Generator, clean: pd.DataFrame, size: ForecastingScale) -> pd.DataFrame:
    """A date gap and a negative value in the first series, plus keyless and duplicated copies."""
    first = clean.index[(clean["store"] == 1) & (clean["item"] == 1)]
    gap_start = len(first) // 2
    gap = first[gap_start : gap_start + GAP_DAYS]
    clean = clean.drop(index=gap)
    negative_count = max(1, round(len(clean) * 0.0002))
    negative = rng.choice(clean.index.to_numpy(), size=negative_count, replace=False)
    clean.loc[negative, "sales"] = -clean.loc[negative, "sales"] - 1
    usable = clean.drop(index=negative)
    copies = max(2, round(len(clean) * 0.0002))
    keyless = usable.sample(n=copies, random_state=rng.integers(2**31)).copy()
    keyless.loc[keyless.index[0::2], "store"] = pd.NA
    keyless.loc[keyless.index[1::2], "date"] = None
    duplicates = usable.sample(n=copies, random_state=rng.integers(2**31))
    return pd.concat([clean, keyless, duplicates], ignore_index=True)


def _write_sales(raw: Path, sales: pd.DataFrame) -> int:
    folder = raw / "forecasting" / "sales"
    replace_folder(folder)
    write_frame(sales, folder, schema=RAW_SCHEMA)
    return len(sales)


def first_day(scale: str) -> date:
    """The first day of a scale's full-length series."""
    return LAST_DAY - timedelta(days=scale_of(SCALES, scale, "forecasting").days - 1)
