"""Behaviour of the LOBSTER loader: hand-written files, and the real sample when present."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from casebook.data.ingest import ingest_lobster
from casebook.data.lobster import find_lobster_files, read_lobster
from casebook.data.registry import INGEST_OPTIONS, ingester
from casebook.data.ticks import QUOTE_COLUMNS, TRADE_COLUMNS

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "lobster_amzn_2012-06-21"
STEM = "AMZN_2012-06-21_34200000_57600000"
MESSAGE_HEADER = "Time,Type,OrderId,Size,Price,Direction"
BOOK_HEADER = "BestAsk,BestAskVolume,BestBid,BestBidVolume"

MESSAGES = [
    "34200.01746,5,0,1,2238200,-1",  # hidden execution
    "34200.18961,1,11885113,21,2238100,1",  # new limit order
    "34200.19023,4,11885113,21,2238100,1",  # visible execution
    "34200.19023,3,11534792,26,2237500,1",  # deletion
    "34201.5,4,11534793,100,2237600,-1",  # visible execution
]
BOOKS = [
    "2239500,100,2231800,100",
    "2239500,100,2238100,21",
    "2239500,100,2237500,100",
    "2239500,100,2237500,74",
    "2239400,300,2237500,74",
]


def _write(
    directory: Path,
    messages: list[str],
    books: list[str],
    *,
    header: bool = True,
    stem: str = STEM,
    level: int = 1,
    newline: str = "\r\n",
) -> Path:
    """Write a LOBSTER-style file pair (CRLF, no final newline, like the real sample)."""
    directory.mkdir(parents=True, exist_ok=True)
    book_header = ",".join([BOOK_HEADER] * level)
    message_lines = ([MESSAGE_HEADER] if header else []) + messages
    book_lines = ([book_header] if header else []) + books
    (directory / f"{stem}_message_{level}.csv").write_text(newline.join(message_lines))
    (directory / f"{stem}_orderbook_{level}.csv").write_text(newline.join(book_lines))
    return directory


def _real_sample_dir() -> Path:
    base = os.environ.get("CASEBOOK_REAL_DATA_DIR")
    root = Path(base) if base else REPO_ROOT.parent / "shared" / "data"
    return root / SAMPLE


# --------------------------------------------------------------------------- real sample


@pytest.mark.real_data
def test_real_amzn_sample_matches_known_day_statistics() -> None:
    directory = _real_sample_dir()
    if not directory.is_dir():
        pytest.skip(
            f"LOBSTER sample {SAMPLE} not found at {directory}: set CASEBOOK_REAL_DATA_DIR "
            "to the folder that contains it"
        )
    trades, quotes = read_lobster(directory)
    assert len(trades) == 11_419
    assert trades["trade_qty"].sum() == 810_755
    vwap = (trades["trade_pr"] * trades["trade_qty"]).sum() / trades["trade_qty"].sum()
    assert round(vwap, 3) == 222.635
    assert len(quotes) == 57_515
    assert quotes[["bid_pr", "ask_pr"]].notna().all().all()
    assert (quotes["bid_pr"] < quotes["ask_pr"]).all()
    assert (trades["symbol"] == "AMZN").all()
    assert quotes["event_ts"].iloc[0] == pd.Timestamp("2012-06-21 13:30:00.017460", tz="UTC")
    assert quotes["event_ts"].is_monotonic_increasing
    assert quotes["event_ts"].max() < pd.Timestamp("2012-06-21 20:00:00", tz="UTC")


# --------------------------------------------------------------------------- mapping


def test_frames_follow_the_shared_schema(tmp_path: Path) -> None:
    trades, quotes = read_lobster(_write(tmp_path, MESSAGES, BOOKS))
    assert list(trades.columns) == TRADE_COLUMNS
    assert list(quotes.columns) == QUOTE_COLUMNS
    assert trades.dtypes.astype(str).tolist() == [
        "object", "datetime64[us, UTC]", "int64", "float64", "int64"
    ]  # fmt: skip
    assert quotes.dtypes.astype(str).tolist() == [
        "object", "datetime64[us, UTC]", "int64", "float64", "float64", "int64", "int64"
    ]  # fmt: skip


def test_executions_become_trades_with_dollar_prices(tmp_path: Path) -> None:
    trades, _ = read_lobster(_write(tmp_path, MESSAGES, BOOKS))
    assert trades["seq"].tolist() == [0, 2, 4]
    assert trades["trade_pr"].tolist() == [223.82, 223.81, 223.76]
    assert trades["trade_qty"].tolist() == [1, 21, 100]
    assert (trades["symbol"] == "AMZN").all()


def test_every_book_row_becomes_a_quote_sharing_seq_with_its_message(tmp_path: Path) -> None:
    trades, quotes = read_lobster(_write(tmp_path, MESSAGES, BOOKS))
    assert quotes["seq"].tolist() == [0, 1, 2, 3, 4]
    assert quotes["bid_pr"].tolist() == [223.18, 223.81, 223.75, 223.75, 223.75]
    assert quotes["ask_pr"].tolist() == [223.95, 223.95, 223.95, 223.95, 223.94]
    assert quotes["bid_qty"].tolist() == [100, 21, 100, 74, 74]
    assert quotes["ask_qty"].tolist() == [100, 100, 100, 100, 300]
    same_row = trades.merge(quotes, on="seq", suffixes=("_trade", "_quote"))
    assert (same_row["event_ts_trade"] == same_row["event_ts_quote"]).all()


def test_files_with_and_without_header_give_the_same_frames(tmp_path: Path) -> None:
    with_header = read_lobster(_write(tmp_path / "h", MESSAGES, BOOKS, header=True))
    without_header = read_lobster(_write(tmp_path / "n", MESSAGES, BOOKS, header=False))
    for a, b in zip(with_header, without_header, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_unix_newlines_and_a_trailing_newline_are_accepted(tmp_path: Path) -> None:
    directory = _write(tmp_path, MESSAGES, BOOKS, newline="\n")
    for path in directory.iterdir():
        path.write_text(path.read_text() + "\n\n")
    trades, quotes = read_lobster(directory)
    assert (len(trades), len(quotes)) == (3, 5)


def test_times_are_new_york_wall_time_converted_to_utc(tmp_path: Path) -> None:
    summer = read_lobster(_write(tmp_path / "s", MESSAGES, BOOKS))[1]
    assert summer["event_ts"].iloc[0] == pd.Timestamp("2012-06-21 13:30:00.01746", tz="UTC")
    winter_stem = "AMZN_2012-12-21_34200000_57600000"
    winter = read_lobster(_write(tmp_path / "w", MESSAGES, BOOKS, stem=winter_stem))[1]
    assert winter["event_ts"].iloc[0] == pd.Timestamp("2012-12-21 14:30:00.01746", tz="UTC")


def test_nanoseconds_round_half_even_to_microseconds(tmp_path: Path) -> None:
    times = ["34200.0000005", "34200.0000015", "34200.000000501", "34200.123456789", "34200"]
    messages = [f"{t},1,1,100,2238100,1" for t in times]
    books = ["2239500,100,2238100,100"] * len(times)
    quotes = read_lobster(_write(tmp_path, messages, books))[1]
    micros = (quotes["event_ts"] - pd.Timestamp("2012-06-21 13:30", tz="UTC")).dt.total_seconds()
    assert (micros * 1e6).round().astype(int).tolist() == [0, 2, 1, 123457, 0]


def test_dummy_prices_become_null_and_the_row_is_kept(tmp_path: Path) -> None:
    books = [
        "9999999999,0,2231800,100",  # empty ask side
        "2239500,100,-9999999999,0",  # empty bid side
        "9999999999,0,-9999999999,0",  # empty book
        "2239500,100,2238100,21",
        "2239400,300,2237500,74",
    ]
    _, quotes = read_lobster(_write(tmp_path, MESSAGES, books))
    assert len(quotes) == 5
    assert quotes["ask_pr"].isna().tolist() == [True, False, True, False, False]
    assert quotes["bid_pr"].isna().tolist() == [False, True, True, False, False]
    assert quotes["bid_pr"].iloc[0] == 223.18
    assert quotes.loc[2, ["bid_qty", "ask_qty"]].tolist() == [0, 0]


def test_higher_level_files_use_the_level_1_columns(tmp_path: Path) -> None:
    books = [f"{row},2240000,5,2230000,7" for row in BOOKS]
    directory = _write(tmp_path, MESSAGES, books, level=2)
    _, quotes = read_lobster(directory)
    assert find_lobster_files(directory).level == 2
    assert quotes["ask_pr"].tolist() == [223.95, 223.95, 223.95, 223.95, 223.94]
    assert quotes["bid_qty"].tolist() == [100, 21, 100, 74, 74]


def test_symbol_and_date_arguments_override_the_file_name(tmp_path: Path) -> None:
    directory = _write(tmp_path, MESSAGES, BOOKS)
    trades, quotes = read_lobster(directory, symbol="XAMZ", trading_date=date(2012, 12, 21))
    assert set(trades["symbol"]) == {"XAMZ"}
    assert quotes["event_ts"].iloc[0] == pd.Timestamp("2012-12-21 14:30:00.01746", tz="UTC")


def test_unconventional_file_name_needs_symbol_and_date(tmp_path: Path) -> None:
    directory = _write(tmp_path, MESSAGES, BOOKS, stem="sample")
    with pytest.raises(ValueError, match="pass symbol= and trading_date="):
        read_lobster(directory)
    trades, _ = read_lobster(directory, symbol="AMZN", trading_date=date(2012, 6, 21))
    assert len(trades) == 3


# --------------------------------------------------------------------------- errors


def test_missing_directory_raises_file_not_found_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match=r"nowhere.*_message_N\.csv"):
        read_lobster(missing)


def test_directory_without_message_file_names_the_expected_pattern(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("no data here")
    with pytest.raises(FileNotFoundError, match=r"TICKER_YYYY-MM-DD_start_end_message_N\.csv"):
        read_lobster(tmp_path)


def test_missing_orderbook_file_raises_file_not_found(tmp_path: Path) -> None:
    directory = _write(tmp_path, MESSAGES, BOOKS)
    (directory / f"{STEM}_orderbook_1.csv").unlink()
    with pytest.raises(FileNotFoundError, match=f"{STEM}_orderbook_1.csv"):
        read_lobster(directory)


def test_mismatched_row_counts_raise_value_error_naming_both_files(tmp_path: Path) -> None:
    directory = _write(tmp_path, MESSAGES, BOOKS[:-1])
    with pytest.raises(ValueError, match=r"message_1\.csv has 5 data rows.*orderbook_1\.csv has 4"):
        read_lobster(directory)


@pytest.mark.parametrize(("header", "line"), [(True, 4), (False, 3)])
def test_non_numeric_field_reports_file_line_and_column(tmp_path: Path, header: bool, line: int) -> None:
    messages = list(MESSAGES)
    messages[2] = "34200.19023,4,11885113,twenty,2238100,1"
    directory = _write(tmp_path, messages, BOOKS, header=header)
    with pytest.raises(ValueError, match=rf"message_1\.csv: line {line}, column Size.*'twenty'"):
        read_lobster(directory)


def test_non_numeric_orderbook_price_is_reported(tmp_path: Path) -> None:
    books = list(BOOKS)
    books[4] = "2239400,300,n/a,74"
    with pytest.raises(ValueError, match=r"orderbook_1\.csv: line 6, column BestBid"):
        read_lobster(_write(tmp_path, MESSAGES, books))


def test_blank_line_inside_a_file_is_reported_with_its_line(tmp_path: Path) -> None:
    messages = [*MESSAGES[:2], "", *MESSAGES[2:4]]
    with pytest.raises(ValueError, match=r"line 4, column Time.*<empty>"):
        read_lobster(_write(tmp_path, messages, BOOKS))


def test_fractional_size_is_rejected(tmp_path: Path) -> None:
    messages = list(MESSAGES)
    messages[0] = "34200.01746,5,0,1.5,2238200,-1"
    with pytest.raises(ValueError, match=r"line 2, column Size: not a whole number"):
        read_lobster(_write(tmp_path, messages, BOOKS))


def test_several_message_files_in_one_folder_are_ambiguous(tmp_path: Path) -> None:
    _write(tmp_path, MESSAGES, BOOKS)
    _write(tmp_path, MESSAGES, BOOKS, stem="AMZN_2012-06-22_34200000_57600000")
    with pytest.raises(ValueError, match="Several LOBSTER message files"):
        read_lobster(tmp_path)


def test_trade_prices_are_exact_to_the_cent(tmp_path: Path) -> None:
    trades, _ = read_lobster(_write(tmp_path, MESSAGES, BOOKS))
    assert np.allclose(trades["trade_pr"] * 100, (trades["trade_pr"] * 100).round())


def test_ingest_lobster_takes_plain_arguments_and_the_symbol_option(tmp_path: Path) -> None:
    domain, land = ingester("lobster")
    directory = _write(tmp_path / "day", MESSAGES, BOOKS)

    counts = land(directory, tmp_path / "raw", symbol="XAMZ")

    assert domain == "ticks" and land is ingest_lobster
    assert counts == {"trades": 3, "quotes": 5, "halts": 0}
    trades = pd.read_parquet(tmp_path / "raw" / "ticks" / "trades")
    assert set(trades["symbol"]) == {"XAMZ"}
    assert INGEST_OPTIONS["lobster"] == ("symbol",)
