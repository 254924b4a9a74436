"""The synthetic store-item sales: deterministic, Kaggle-shaped, with the promised bad input."""

from __future__ import annotations

import zipfile
from datetime import date

import pandas as pd
import pytest

from casebook.data.forecasting import (
    GAP_DAYS,
    LAST_DAY,
    SHORT_SERIES_DAYS,
    generate_forecasting,
    read_store_item_demand,
    write_forecasting,
)


@pytest.fixture(scope="module")
def tiny() -> pd.DataFrame:
    return generate_forecasting("tiny", 42)


def test_same_seed_same_rows_other_seed_other_rows(tiny) -> None:
    pd.testing.assert_frame_equal(tiny, generate_forecasting("tiny", 42))
    assert not tiny["sales"].equals(generate_forecasting("tiny", 43)["sales"])


def test_tiny_has_four_full_series_and_one_short_one(tiny) -> None:
    keyed = tiny.dropna(subset=["store", "date"])
    days = keyed.drop_duplicates(["date", "store", "item"]).groupby(["store", "item"]).size()
    assert days.to_dict() == {
        (1, 1): 830 - GAP_DAYS,
        (1, 2): 830,
        (2, 1): 830,
        (2, 2): 830,
        (2, 3): SHORT_SERIES_DAYS,
    }
    assert keyed["date"].max() == LAST_DAY


def test_bad_input_is_injected(tiny) -> None:
    assert tiny["store"].isna().sum() >= 1
    assert tiny["date"].isna().sum() >= 1
    assert (tiny["sales"] < 0).sum() >= 1
    keyed = tiny.dropna(subset=["store", "date"])
    assert keyed.duplicated().sum() >= 1


def test_sales_have_a_weekly_cycle_peaking_on_sunday(tiny) -> None:
    clean = tiny.dropna(subset=["store", "date"]).query("sales >= 0")
    weekday = pd.to_datetime(clean["date"]).dt.dayofweek
    means = clean.groupby(weekday)["sales"].mean()
    assert means.idxmax() == 6 and means.idxmin() == 0


def test_the_kaggle_loader_reads_csv_and_zip_alike(tmp_path) -> None:
    text = "date,store,item,sales\n2013-01-01,1,1,13\n2013-01-02,1,1,x\nnot-a-date,2,1,4\n"
    (tmp_path / "train.csv").write_text(text)
    with zipfile.ZipFile(tmp_path / "kaggle.zip", "w") as archive:
        archive.writestr("train.csv", text)
    from_csv = read_store_item_demand(tmp_path / "train.csv")
    from_zip = read_store_item_demand(tmp_path / "kaggle.zip")
    pd.testing.assert_frame_equal(from_csv, from_zip)
    assert from_csv["date"].tolist() == [date(2013, 1, 1), date(2013, 1, 2), None]
    assert from_csv["sales"].tolist()[0] == 13 and pd.isna(from_csv["sales"].iloc[1])


def test_write_lands_one_parquet_table(tmp_path) -> None:
    counts = write_forecasting(tmp_path, "tiny", 42)
    written = pd.read_parquet(tmp_path / "forecasting" / "sales")
    assert counts == {"sales": len(written)}
    assert list(written.columns) == ["date", "store", "item", "sales"]
    assert written["sales"].sum() == generate_forecasting("tiny", 42)["sales"].sum()
