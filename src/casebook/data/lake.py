"""Writing raw tables into the lake: one folder of Parquet files per table."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

# Integers beyond 2**53 do not survive the float64 that CSV numbers pass through: out of range.
EXACT_FLOAT_INTEGER = 2**53
INT32_MAX = 2**31 - 1


def replace_folder(folder: Path) -> None:
    """Empty `folder` (creating it) so a table is rewritten whole, never mixed with old files.

    Writers run inside a landing workspace (casebook.data.landing), never on the live lake folder.
    """
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def write_frame(frame: pd.DataFrame, folder: Path, part: int = 0, schema: pa.Schema | None = None) -> Path:
    """Write one part file of a table; timestamps keep their time zone (UTC instants).

    Pass `schema` when the frame may be empty: types cannot be inferred from no rows.
    """
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    path = folder / f"part-{part:05d}.parquet"
    # Spark reads microsecond timestamps only; pandas holds nanoseconds.
    write_parquet(table, path, coerce_timestamps="us")
    return path


def write_parquet(table: pa.Table, path: Path, **options: object) -> None:
    """Write one Parquet file; an OSError (disk full, permission) names the file."""
    try:
        pq.write_table(table, path, compression="snappy", **options)
    except OSError as error:
        if error.errno is None:
            raise
        raise OSError(error.errno, os.strerror(error.errno), str(path)) from error


def checked_integers(
    values: pd.Series, low: int = -EXACT_FLOAT_INTEGER, high: int = EXACT_FLOAT_INTEGER
) -> pd.Series:
    """Text or numbers as nullable Int64: unparseable, fractional or out-of-[low, high] values become null.

    Never a wrapped value: a null is quarantined by staging, a wrapped one would pass as valid.
    """
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    usable = numbers.notna() & (numbers == np.floor(numbers)) & (numbers >= low) & (numbers <= high)
    return numbers.where(usable).astype("Int64")


def checked_floats(values: pd.Series) -> pd.Series:
    """Text or numbers as float64: unparseable and infinite values become NaN (null in Parquet)."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return numbers.where(np.isfinite(numbers))
