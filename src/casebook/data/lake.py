"""Writing raw tables into the lake: one folder of Parquet files per table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def replace_folder(folder: Path) -> None:
    """Empty `folder` (creating it) so a table is rewritten whole, never mixed with old files."""
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
    pq.write_table(table, path, compression="snappy", coerce_timestamps="us")
    return path
