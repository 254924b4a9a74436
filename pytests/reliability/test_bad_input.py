"""Bad input to `casebook data ingest` (corrupted copies of the real files): refused in one sentence with
exit code 2 and no traceback, or landed with the bad value as a null that staging quarantines; never a
wrapped value."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pytests.conftest import require_real_data
from pytests.reliability.conftest import (
    assert_refused,
    csv_header,
    edit_line,
    lobster_copy,
    remount_read_only,
    run_casebook,
    tree_digest,
)

HUGE = "99999999999999999999"


@pytest.fixture
def landed(tmp_path: Path) -> Path:
    """A data folder holding a small real LOBSTER day (the data a bad ingest must not destroy)."""
    data = tmp_path / "data"
    result = run_casebook("data", "ingest", "lobster", str(lobster_copy(tmp_path / "good")), data_dir=data)
    assert result.returncode == 0, result.stderr
    return data


def _message_file(folder: Path) -> Path:
    return next(folder.glob("*_message_1.csv"))


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        (3, HUGE, "line 5, column Size: size_out_of_range (beyond a 64-bit integer): '99999999999999999999'"),
        (0, "1e20", "line 5, column Time: time_out_of_range"),
        (0, "-3", "line 5, column Time: time_out_of_range"),
        (2, HUGE, "line 5, column OrderId: orderid_out_of_range"),
    ],
)
def test_lobster_values_beyond_their_range_are_refused_not_wrapped(
    landed: Path, tmp_path: Path, column: int, value: str, fragment: str
) -> None:
    folder = lobster_copy(tmp_path / "bad")
    edit_line(_message_file(folder), 5, column, value)
    before = tree_digest(landed / "raw" / "ticks")

    result = run_casebook("data", "ingest", "lobster", str(folder), data_dir=landed)

    assert_refused(result, fragment)
    assert str(_message_file(folder)) in result.stderr
    assert tree_digest(landed / "raw" / "ticks") == before


def test_a_lobster_time_in_the_dst_gap_is_refused_with_its_line(landed: Path, tmp_path: Path) -> None:
    folder = lobster_copy(tmp_path / "spring", date="2012-03-11")  # New York skipped 02:00-03:00
    edit_line(_message_file(folder), 3, 0, "9000.5")

    result = run_casebook("data", "ingest", "lobster", str(folder), data_dir=landed)

    assert_refused(result, "line 3, column Time: 9000.5 s after midnight is not one instant on 2012-03-11")


def test_a_zip_that_is_not_a_zip_is_refused(landed: Path, tmp_path: Path) -> None:
    fake = tmp_path / "train.zip"
    fake.write_text("date,store,item,sales\n")

    result = run_casebook("data", "ingest", "store_item_demand", str(fake), data_dir=landed)

    assert_refused(result, f"{fake} is not a valid zip file")


def test_debug_shows_the_traceback(landed: Path, tmp_path: Path) -> None:
    fake = tmp_path / "train.zip"
    fake.write_text("not a zip")
    command = ["data", "ingest", "store_item_demand", str(fake)]
    for args, env in (
        (["--debug", *command], {}),
        ([*command, "--debug"], {}),
        (command, {"CASEBOOK_DEBUG": "1"}),
    ):
        result = run_casebook(*args, data_dir=landed, env=env)
        assert result.returncode != 0
        assert "Traceback" in result.stderr and "BadZipFile" in result.stderr, (args, env, result.stderr)


def test_a_folder_where_a_file_is_expected_is_refused(landed: Path, tmp_path: Path) -> None:
    folder = tmp_path / "paysim.csv"
    folder.mkdir()

    result = run_casebook("data", "ingest", "paysim", str(folder), data_dir=landed)

    assert_refused(result, f"{folder} is a folder where a file is expected")


def test_huge_integers_in_kaggle_sales_become_nulls(landed: Path, tmp_path: Path) -> None:
    train = tmp_path / "train.csv"
    train.write_text(
        f"date,store,item,sales\n2013-01-01,1,1,13\n2013-01-02,{HUGE},1,11\n2013-01-03,1,1,{HUGE}\n"
    )

    result = run_casebook("data", "ingest", "store_item_demand", str(train), data_dir=landed)

    assert result.returncode == 0, result.stderr
    sales = pq.read_table(landed / "raw" / "forecasting" / "sales").to_pandas()
    assert pd.isna(sales["store"].iloc[1]), "out of range: null (quarantined as missing_key), not wrapped"
    assert pd.isna(sales["sales"].iloc[2]), "out of range: null (quarantined as missing_sales), not wrapped"
    assert sales["sales"].iloc[0] == 13


def test_huge_and_infinite_paysim_numbers_become_nulls(landed: Path, tmp_path: Path) -> None:
    source = require_real_data("paysim") / "paysim_head_19999.csv"
    lines = source.read_text().splitlines()[:6]
    header = csv_header(source)
    copy = tmp_path / "paysim.csv"
    copy.write_text("\n".join(lines) + "\n")
    edit_line(copy, 2, header.index("step"), HUGE)
    edit_line(copy, 3, header.index("amount"), "1e400")

    result = run_casebook("data", "ingest", "paysim", str(copy), data_dir=landed)

    assert result.returncode == 0, result.stderr
    rows = pq.read_table(landed / "raw" / "fraud" / "transactions").to_pandas()
    assert pd.isna(rows["step"].iloc[0]) and pd.isna(rows["amount"].iloc[1])
    assert rows["step"].iloc[1] == 1


def test_out_of_range_citi_bike_values_and_numeric_weather_dates_become_nulls(
    landed: Path, tmp_path: Path
) -> None:
    source = require_real_data("citibike")
    folder = tmp_path / "citibike"
    folder.mkdir()
    trips = folder / "trips.csv"
    sample = (source / "citibike_trips_sample_20000.csv").read_text().splitlines()
    trips.write_text("\n".join(sample[:6]) + "\n")
    header = csv_header(trips)
    edit_line(trips, 2, header.index("tripduration"), HUGE)
    edit_line(trips, 3, header.index("starttime"), "1e20")
    edit_line(trips, 4, header.index("bikeid"), HUGE)
    weather = (source / "nyc_daily_weather_openmeteo_2014plus.csv").read_text().splitlines()[:4]
    numeric_dates = [weather[0]] + [
        f"2014010{day}," + row.split(",", 1)[1] for day, row in enumerate(weather[1:], 1)
    ]
    (folder / "nyc_daily_weather_openmeteo_x.csv").write_text("\n".join(numeric_dates) + "\n")

    result = run_casebook("data", "ingest", "citibike", str(folder), data_dir=landed)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    rows = pq.read_table(landed / "raw" / "stations" / "trips").to_pandas()
    assert pd.isna(rows["trip_duration_s"].iloc[0])
    assert pd.isna(rows["start_local_ts"].iloc[1]), "an epoch beyond 2100 is null, not a wrapped 17xx date"
    assert pd.isna(rows["bike_id"].iloc[2])
    assert rows["trip_duration_s"].iloc[3] > 0
    hours = pq.read_table(landed / "raw" / "stations" / "weather").to_pandas()
    assert len(hours) == 3 * 24 and hours["weather_local_ts"].isna().all()


def test_a_read_only_data_folder_is_named_with_what_to_do(tmpfs, tmp_path: Path) -> None:
    data = tmpfs("8m") / "data"
    assert (
        run_casebook(
            "data", "ingest", "lobster", str(lobster_copy(tmp_path / "day")), data_dir=data
        ).returncode
        == 0
    )
    before = tree_digest(data / "raw" / "ticks")
    remount_read_only(data.parent)

    ingest = run_casebook("data", "ingest", "lobster", str(tmp_path / "day"), data_dir=data)
    query = run_casebook("sql", "select 1", data_dir=data)

    assert_refused(ingest, "is on a read-only file system: remount it writable, or set CASEBOOK_DATA_DIR")
    assert_refused(query, "the embedded metastore needs a writable")
    assert "CASEBOOK_METASTORE_URL" in query.stderr
    assert tree_digest(data / "raw" / "ticks") == before


def test_a_flag_the_format_does_not_take_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_casebook(
        "data", "ingest", "citibike", str(tmp_path / "trips.csv"), "--symbol", "AMZN", data_dir=data
    )

    assert_refused(result, "--symbol applies to lobster files only: drop it for citibike.")
    assert not (data / "raw" / "stations").exists()
