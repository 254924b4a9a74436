"""Load real LOBSTER limit-order-book files into the shared trades/quotes schema.

LOBSTER (https://lobsterdata.com) ships, per ticker and day, a message file
`TICKER_YYYY-MM-DD_start_end_message_N.csv` (Time, Type, OrderId, Size, Price, Direction)
and a row-aligned orderbook file `..._orderbook_N.csv` (BestAsk, BestAskVolume, BestBid,
BestBidVolume, then deeper levels). Prices are dollars x 10000; an empty book side carries
the dummy price 9999999999 (ask) / -9999999999 (bid) with volume 0.

Mapping:
  * trades = executions (message types 4 visible, 5 hidden): trade_pr = Price / 10000,
    trade_qty = Size;
  * quotes = every orderbook row (the book after that message), level 1 only, with dummy
    prices turned into null bid_pr / ask_pr (the row is kept);
  * seq = 0-based data-row number in the message file, shared by a trade and its quote;
  * event_ts = trading date + Time seconds as America/New_York wall time, converted to
    UTC. Time is read to the whole nanosecond (exact for LOBSTER's <= 9 decimals) and
    rounded half-to-even to the microsecond, the resolution of the shared schema.

Errors are explicit: FileNotFoundError for a missing folder or file, ValueError for
mismatched row counts, a non-numeric field, an integer beyond 64 bits (`size_out_of_range`, ...),
a Time outside [0, 86400) (`time_out_of_range`) or a wall time in a daylight-saving gap (naming
the file, 1-based line and column): a value is never wrapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from casebook.data.ticks import EVENT_TS_DTYPE, QUOTE_COLUMNS, TRADE_COLUMNS

__all__ = ["EXECUTION_TYPES", "LobsterFiles", "find_lobster_files", "read_lobster"]

EXECUTION_TYPES = (4, 5)
PRICE_SCALE = 10_000
DUMMY_ASK_PRICE = 9_999_999_999
DUMMY_BID_PRICE = -9_999_999_999
MESSAGE_PATTERN = "TICKER_YYYY-MM-DD_start_end_message_N.csv"
MESSAGE_COLUMNS = ("Time", "Type", "OrderId", "Size", "Price", "Direction")
ORDERBOOK_COLUMNS = ("BestAsk", "BestAskVolume", "BestBid", "BestBidVolume")
EXCHANGE_TZ_NAME = "America/New_York"  # a name, not a ZoneInfo: pandas localizes it 20x faster
_MESSAGE_INTEGERS = frozenset({"Type", "OrderId", "Size", "Direction"})
_ORDERBOOK_INTEGERS = frozenset({"BestAskVolume", "BestBidVolume"})

_MESSAGE_NAME = re.compile(r"^(?P<stem>.+)_message_(?P<level>\d+)\.csv$")
_STEM = re.compile(r"^(?P<ticker>[^_]+)_(?P<date>\d{4}-\d{2}-\d{2})_\d+_\d+$")
_NS_PER_SECOND = 1_000_000_000
_SECONDS_PER_DAY = 86_400
_INT64_LIMIT = 2.0**63
_TIME_RANGE = "time_out_of_range (seconds after midnight must lie in [0, 86400))"


@dataclass(frozen=True)
class LobsterFiles:
    """One day of one ticker: the message file, its orderbook file and the name's facts."""

    message: Path
    orderbook: Path
    level: int
    symbol: str | None
    trading_date: date | None


def find_lobster_files(directory: Path) -> LobsterFiles:
    """Locate the single message/orderbook pair in `directory` (any level N)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(
            f"LOBSTER directory {directory} does not exist (expected files {MESSAGE_PATTERN} "
            "and the matching _orderbook_N.csv)"
        )
    messages = sorted(p for p in directory.glob("*_message_*.csv") if _MESSAGE_NAME.match(p.name))
    if not messages:
        raise FileNotFoundError(f"No LOBSTER message file matching {MESSAGE_PATTERN} in {directory}")
    if len(messages) > 1:
        names = ", ".join(p.name for p in messages)
        raise ValueError(
            f"Several LOBSTER message files in {directory} ({names}): "
            "point read_lobster at a folder holding one ticker-day"
        )
    message = messages[0]
    match = _MESSAGE_NAME.fullmatch(message.name)
    if match is None:  # unreachable: the glob above keeps only matching names
        raise FileNotFoundError(f"No LOBSTER message file matching {MESSAGE_PATTERN}")
    orderbook = directory / f"{match['stem']}_orderbook_{match['level']}.csv"
    if not orderbook.is_file():
        raise FileNotFoundError(
            f"LOBSTER orderbook file {orderbook.name} (matching {message.name}) not found in {directory}"
        )
    symbol, trading_date = _parse_stem(match["stem"])
    return LobsterFiles(message, orderbook, int(match["level"]), symbol, trading_date)


def read_lobster(
    directory: Path, symbol: str | None = None, trading_date: date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(trades, quotes) of the LOBSTER ticker-day in `directory`, in the shared schema.

    `symbol` and `trading_date` override what the file name says; they are required when
    the name does not follow the LOBSTER convention.
    """
    files = find_lobster_files(directory)
    symbol = symbol or files.symbol
    trading_date = trading_date or files.trading_date
    if symbol is None or trading_date is None:
        raise ValueError(
            f"Cannot read symbol and date from {files.message.name} (expected "
            f"{MESSAGE_PATTERN}): pass symbol= and trading_date="
        )
    messages = _read_table(files.message, MESSAGE_COLUMNS, _MESSAGE_INTEGERS)
    book = _read_table(files.orderbook, ORDERBOOK_COLUMNS, _ORDERBOOK_INTEGERS)
    if len(messages) != len(book):
        raise ValueError(
            f"LOBSTER row counts differ: {files.message} has {len(messages)} data rows, "
            f"{files.orderbook} has {len(book)}"
        )
    event_ts = _event_timestamps(messages, trading_date)
    seq = np.arange(len(messages), dtype=np.int64)
    return (
        _trades(messages, symbol, event_ts, seq),
        _quotes(book, symbol, event_ts, seq),
    )


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Table:
    """A LOBSTER CSV parsed to numbers, one array per column, in file order."""

    path: Path
    columns: dict[str, np.ndarray]
    first_line: int

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def __getitem__(self, column: str) -> np.ndarray:
        return self.columns[column]


def _parse_stem(stem: str) -> tuple[str | None, date | None]:
    match = _STEM.match(stem)
    if match is None:
        return None, None
    try:
        return match["ticker"], date.fromisoformat(match["date"])
    except ValueError:
        return match["ticker"], None


def _has_header(path: Path) -> bool:
    """A header is present when the first field of the first line is not a number."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    field = first.split(",", 1)[0].strip()
    if not field:
        return bool(first.strip())
    try:
        float(field)
    except ValueError:
        return True
    return False


def _read_table(path: Path, columns: tuple[str, ...], integer_columns: frozenset[str]) -> _Table:
    """Parse the first len(columns) fields of every data line (header optional).

    The C parser does the work; a column it cannot read as numbers comes back as text
    and is checked value by value only then, to name the offending line.
    """
    header = _has_header(path)
    try:
        rows = pd.read_csv(
            path,
            header=None,
            skiprows=1 if header else 0,
            usecols=range(len(columns)),
            encoding="utf-8-sig",
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        rows = pd.DataFrame({i: pd.Series(dtype=np.int64) for i in range(len(columns))})
    except (pd.errors.ParserError, ValueError) as error:
        raise ValueError(f"{path}: not a LOBSTER CSV with {len(columns)} columns: {error}") from None
    rows.columns = list(columns)
    rows = _drop_trailing_blank_lines(rows)
    first_line = 2 if header else 1
    parsed = {
        column: _numeric(rows[column], path, first_line, integer=column in integer_columns)
        for column in columns
    }
    if "Time" in parsed:
        seconds = parsed["Time"]
        _check((seconds < 0) | (seconds >= _SECONDS_PER_DAY), rows["Time"], path, first_line, _TIME_RANGE)
    return _Table(path, parsed, first_line)


def _drop_trailing_blank_lines(rows: pd.DataFrame) -> pd.DataFrame:
    """Blank lines at the end of a file are harmless; blank lines inside it are errors."""
    keep = len(rows)
    while keep and all(pd.isna(v) or v == "" for v in rows.iloc[keep - 1]):
        keep -= 1
    return rows if keep == len(rows) else rows.iloc[:keep].reset_index(drop=True)


def _numeric(values: pd.Series, path: Path, first_line: int, *, integer: bool) -> np.ndarray:
    """One column as int64 or float64; ValueError naming file, line and column otherwise."""
    if values.dtype.kind == "i":
        return values.to_numpy(dtype=np.int64)
    parsed = pd.to_numeric(values, errors="coerce") if values.dtype == object else values
    numbers = parsed.to_numpy(dtype=np.float64, na_value=np.nan)
    _check(~np.isfinite(numbers), values, path, first_line, "not a number")
    if not integer:
        return numbers
    _check(numbers != np.floor(numbers), values, path, first_line, "not a whole number")
    if parsed.dtype.kind == "i":
        return parsed.to_numpy(dtype=np.int64)
    beyond = (numbers >= _INT64_LIMIT) | (numbers < -_INT64_LIMIT)
    reason = f"{str(values.name).lower()}_out_of_range (beyond a 64-bit integer)"
    _check(beyond, values, path, first_line, reason)
    return numbers.astype(np.int64)


def _check(bad: np.ndarray, values: pd.Series, path: Path, first_line: int, reason: str) -> None:
    if not bad.any():
        return
    position = int(np.argmax(bad))
    value = values.iloc[position]
    value = value.item() if isinstance(value, np.generic) else value
    shown = "<empty>" if pd.isna(value) or value == "" else repr(value)
    raise ValueError(
        f"{path}: line {first_line + position}, column {values.name}: {reason}: {shown}; "
        "fix or remove that line and ingest again"
    )


def _time_ns(seconds: np.ndarray) -> np.ndarray:
    """Seconds after midnight -> integer nanoseconds, exactly.

    LOBSTER times have at most 9 decimals and stay below 86400 s; parsing and scaling a
    float64 errs by a few hundredths of a nanosecond there, so rounding to the nanosecond
    recovers the written value exactly (and keeps the fast C parser).
    """
    return np.round(seconds * _NS_PER_SECOND).astype(np.int64)


def _round_half_even_us(ns: np.ndarray) -> np.ndarray:
    """Nanoseconds -> microseconds, ties to the even microsecond."""
    quotient, remainder = np.divmod(ns, 1_000)
    up = (remainder > 500) | ((remainder == 500) & (quotient % 2 == 1))
    return quotient + up


def _event_timestamps(messages: _Table, trading_date: date) -> pd.Series:
    """New York wall time on `trading_date` -> UTC instants at microsecond resolution.

    A wall time that does not exist (the spring-forward gap) or exists twice (the fall-back hour)
    is refused with its line: the file alone cannot say which instant was meant.
    """
    seconds = messages["Time"]
    micros = _round_half_even_us(_time_ns(seconds)).astype("timedelta64[us]")
    local = pd.DatetimeIndex(np.datetime64(trading_date, "us") + micros)
    utc = local.tz_localize(EXCHANGE_TZ_NAME, ambiguous="NaT", nonexistent="NaT")
    unclear = np.asarray(utc.isna())
    if unclear.any():
        position = int(np.argmax(unclear))
        line, value = messages.first_line + position, float(seconds[position])
        raise ValueError(
            f"{messages.path}: line {line}, column Time: {value!r} s "
            f"after midnight is not one instant on {trading_date} in {EXCHANGE_TZ_NAME} (a daylight-saving "
            "gap or repeated hour): check the file's trading date, or fix or remove that line"
        )
    return pd.Series(utc.tz_convert("UTC"), dtype=EVENT_TS_DTYPE)


# --------------------------------------------------------------------------- frames


def _trades(messages: _Table, symbol: str, event_ts: pd.Series, seq: np.ndarray) -> pd.DataFrame:
    """Executions (types 4 and 5) as trades."""
    rows = np.flatnonzero(np.isin(messages["Type"], EXECUTION_TYPES))
    return pd.DataFrame(
        {
            "symbol": np.full(len(rows), symbol, dtype=object),
            "event_ts": event_ts.iloc[rows].reset_index(drop=True),
            "seq": seq[rows],
            "trade_pr": messages["Price"][rows] / PRICE_SCALE,
            "trade_qty": messages["Size"][rows],
        },
        columns=TRADE_COLUMNS,
    )


def _quotes(book: _Table, symbol: str, event_ts: pd.Series, seq: np.ndarray) -> pd.DataFrame:
    """Every level-1 book state as a quote; dummy prices of an empty side become null."""
    ask, bid = book["BestAsk"], book["BestBid"]
    return pd.DataFrame(
        {
            "symbol": np.full(len(seq), symbol, dtype=object),
            "event_ts": event_ts.reset_index(drop=True),
            "seq": seq,
            "bid_pr": np.where(bid <= DUMMY_BID_PRICE, np.nan, bid / PRICE_SCALE),
            "ask_pr": np.where(ask >= DUMMY_ASK_PRICE, np.nan, ask / PRICE_SCALE),
            "bid_qty": book["BestBidVolume"],
            "ask_qty": book["BestAskVolume"],
        },
        columns=QUOTE_COLUMNS,
    )
