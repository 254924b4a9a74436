"""Deterministic synthetic equity tick data (trades + level-1 quotes) in the shared schema.

The same (scale, seed) always gives the same rows and byte-identical Parquet files, so the
pipeline's tests and benchmarks can rely on exact counts without shipping data.

Model, per symbol and trading day:
  * event times follow a U-shaped intensity over the 09:30-16:00 America/New_York session
    (a mix of an arcsine and a uniform law), at microsecond resolution, with bursts of
    events sharing a timestamp; quotes and trades are interleaved in one sequence `seq`
    (0, 1, 2, ... in time order, ties in time broken by seq) that restarts every day;
  * the mid price is a geometric Brownian motion in event time; quotes sit a few $0.01
    ticks around it (relative spreads widest for low-priced names, never locked or
    crossed) with round-lot sizes;
  * each trade prints at the bid or ask of the prevailing quote (the last clean quote
    before it in seq order), sometimes at the midpoint, with heavy-tailed round- or
    odd-lot sizes.

Injected bad rows (the pipeline must quarantine them). They are *added* to the clean data:
every kind except the duplicates takes its own `seq` slot in the symbol's event sequence,
so the clean rows keep a strictly increasing seq (with gaps where a bad row sits). Each
injected row has exactly one defect, so the kinds are disjoint; `bad_row_kind_counts`
identifies them. About 0.1 % of the rows of each frame are bad; the first symbol's first
day always carries at least one of every kind.
"""

from __future__ import annotations

import math
import shutil
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa

from casebook.data.lake import write_parquet
from casebook.data.scales import scale_of

__all__ = [
    "BAD_ROW_KINDS",
    "EXCHANGE_TZ",
    "FIRST_TRADING_DAY",
    "QUOTE_ARROW_SCHEMA",
    "QUOTE_COLUMNS",
    "SCALES",
    "TRADE_ARROW_SCHEMA",
    "TRADE_COLUMNS",
    "TickScale",
    "bad_row_kind_counts",
    "generate_ticks",
    "session_bounds_utc",
    "trading_days",
    "trading_halts",
    "write_ticks",
]

# --- shared schema: both producers (this generator and the LOBSTER loader) emit exactly this.
TRADE_COLUMNS = ["symbol", "event_ts", "seq", "trade_pr", "trade_qty"]
QUOTE_COLUMNS = ["symbol", "event_ts", "seq", "bid_pr", "ask_pr", "bid_qty", "ask_qty"]
EVENT_TS_DTYPE = "datetime64[us, UTC]"
TRADE_ARROW_SCHEMA = pa.schema(
    [
        ("symbol", pa.string()),
        ("event_ts", pa.timestamp("us", tz="UTC")),
        ("seq", pa.int64()),
        ("trade_pr", pa.float64()),
        ("trade_qty", pa.int64()),
    ]
)
QUOTE_ARROW_SCHEMA = pa.schema(
    [
        ("symbol", pa.string()),
        ("event_ts", pa.timestamp("us", tz="UTC")),
        ("seq", pa.int64()),
        ("bid_pr", pa.float64()),
        ("ask_pr", pa.float64()),
        ("bid_qty", pa.int64()),
        ("ask_qty", pa.int64()),
    ]
)

HALT_ARROW_SCHEMA = pa.schema(
    [
        ("symbol", pa.string()),
        ("halt_start_ts", pa.timestamp("us", tz="UTC")),
        ("halt_end_ts", pa.timestamp("us", tz="UTC")),
        ("halt_reason", pa.string()),
    ]
)
HALT_EVERY_N_SYMBOLS = 20
HALT_START = time(12, 0)
HALT_LENGTH = timedelta(minutes=2)
EXCHANGE_TZ = ZoneInfo("America/New_York")
SESSION_OPEN = time(9, 30)
SESSION_CLOSE = time(16, 0)
SESSION_SECONDS = 6 * 3600 + 30 * 60
FIRST_TRADING_DAY = date(2024, 3, 4)
ROUND_LOT = 100

BAD_ROW_KINDS = (
    "trade_null_symbol",  # symbol is null (seq, time, price and size are valid)
    "trade_null_event_ts",  # event_ts is null
    "trade_nonpositive_price",  # trade_pr <= 0
    "trade_nonpositive_qty",  # trade_qty <= 0
    "trade_duplicate",  # second copy of an otherwise clean trade row, all columns equal
    "quote_null_symbol",  # symbol is null
    "quote_crossed",  # bid_pr > ask_pr
    "quote_nonpositive_qty",  # bid_qty <= 0 or ask_qty <= 0
    "quote_duplicate",  # second copy of an otherwise clean quote row, all columns equal
)

_TARGET_ROWS_PER_PART = 2_000_000
_BAD_RATE_PER_TRADE_KIND = 0.001 / 5  # five trade kinds -> about 0.1 % of trade rows
_BAD_RATE_PER_QUOTE_KIND = 0.001 / 4  # four quote kinds -> about 0.1 % of quote rows
_U_SHAPE_WEIGHT = 0.55  # share of event times drawn from the arcsine (U-shaped) law
_BURST_SHARE = 0.06  # share of events stamped with the previous event's time
_AT_TOUCH_SHARE = 0.92  # share of trades printing at the bid or ask (rest at the midpoint)
_ODD_LOT_SHARE = 0.25
_TRADE_SIZE_TAIL = 1.5  # Pareto tail index of round-lot trade sizes (in lots)
_MAX_TRADE_LOTS = 1_000

# Event roles inside one symbol-day sequence. Duplicates copy a row, they take no slot.
_QUOTE, _TRADE = 0, 1
_SLOT_KINDS = (
    "trade_null_symbol",
    "trade_null_event_ts",
    "trade_nonpositive_price",
    "trade_nonpositive_qty",
    "quote_null_symbol",
    "quote_crossed",
    "quote_nonpositive_qty",
)
_ROLE = {kind: code for code, kind in enumerate(_SLOT_KINDS, start=2)}
_TRADE_ROLES = (_TRADE, *(_ROLE[k] for k in _SLOT_KINDS if k.startswith("trade_")))
_QUOTE_ROLES = (_QUOTE, *(_ROLE[k] for k in _SLOT_KINDS if k.startswith("quote_")))


@dataclass(frozen=True)
class TickScale:
    """Size of a generated data set; trades per symbol-day is the mean, symbols vary."""

    symbols: int
    days: int
    trades_per_symbol_day: int
    quotes_per_trade: float

    @property
    def expected_trades(self) -> int:
        """Approximate number of clean trades the scale produces."""
        return self.symbols * self.days * self.trades_per_symbol_day


SCALES: dict[str, TickScale] = {
    "tiny": TickScale(symbols=3, days=1, trades_per_symbol_day=1_500, quotes_per_trade=3.0),
    "small": TickScale(symbols=20, days=2, trades_per_symbol_day=10_000, quotes_per_trade=3.0),
    "medium": TickScale(symbols=100, days=2, trades_per_symbol_day=5_000, quotes_per_trade=3.0),
    "large": TickScale(symbols=500, days=5, trades_per_symbol_day=8_000, quotes_per_trade=3.0),
}


@dataclass(frozen=True)
class _SymbolSpec:
    """Static traits of one synthetic symbol, drawn once per (scale, seed)."""

    symbol: str
    start_price: float
    daily_vol: float
    activity: float
    base_spread_ticks: int
    entropy: int
    spawn_key: tuple[int, ...]

    def rng(self) -> np.random.Generator:
        """The symbol's own random stream, independent of every other symbol's."""
        return np.random.default_rng(np.random.SeedSequence(self.entropy, spawn_key=self.spawn_key))


# --------------------------------------------------------------------------- public API


def trading_days(count: int, first: date = FIRST_TRADING_DAY) -> list[date]:
    """`count` consecutive weekdays starting at `first` (no holiday calendar)."""
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def session_bounds_utc(day: date) -> tuple[datetime, datetime]:
    """The regular session (09:30-16:00 New York) of `day` as UTC instants, DST-aware."""
    open_local = datetime.combine(day, SESSION_OPEN, tzinfo=EXCHANGE_TZ)
    close_local = datetime.combine(day, SESSION_CLOSE, tzinfo=EXCHANGE_TZ)
    return open_local.astimezone(UTC), close_local.astimezone(UTC)


def generate_ticks(scale: str, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All (trades, quotes) of a scale, clean rows plus injected bad rows, sorted.

    Both frames are sorted by (symbol, event_ts, seq) with null symbols and times last.
    Fine up to `medium`; use `write_ticks` for `large`, which streams symbol batches.
    """
    batches = list(_iter_batches(scale, seed, symbols_per_batch=None))
    trades = _sort_events(pd.concat([t for t, _ in batches], ignore_index=True))
    quotes = _sort_events(pd.concat([q for _, q in batches], ignore_index=True))
    return trades, quotes


def write_ticks(
    raw_dir: Path, scale: str, seed: int, *, symbols_per_part: int | None = None
) -> dict[str, int]:
    """Write raw_dir/ticks/{trades,quotes,halts}/part-NNNNN.parquet and return the row counts.

    Existing files in both folders are removed first, so a rewrite never leaves stale
    parts. Symbols are generated and written in batches (one part file per batch, sized
    to about two million rows unless `symbols_per_part` says otherwise), so memory stays
    bounded at every scale. Output is byte-identical for the same (scale, seed).
    """
    scale_of(SCALES, scale, "tick")
    base = Path(raw_dir) / "ticks"
    trades_dir = _reset_dir(base / "trades")
    quotes_dir = _reset_dir(base / "quotes")
    counts = {"trades": 0, "quotes": 0}
    symbols: list[str] = []
    for part, (trades, quotes) in enumerate(_iter_batches(scale, seed, symbols_per_part)):
        name = f"part-{part:05d}.parquet"
        _write_parquet(trades, TRADE_ARROW_SCHEMA, trades_dir / name)
        _write_parquet(quotes, QUOTE_ARROW_SCHEMA, quotes_dir / name)
        counts["trades"] += len(trades)
        counts["quotes"] += len(quotes)
        symbols.extend(sorted(trades["symbol"].dropna().unique()))
    halts = trading_halts(symbols, trading_days(1)[0])
    _write_parquet(halts, HALT_ARROW_SCHEMA, _reset_dir(base / "halts") / "part-00000.parquet")
    counts["halts"] = len(halts)
    return counts


def trading_halts(symbols: list[str], day: date) -> pd.DataFrame:
    """Trading halts to go with the ticks: every HALT_EVERY_N_SYMBOLS-th symbol (the first one
    included) pauses for two minutes at noon on `day`. The generated feed keeps printing through
    them, as a faulty feed would, so the pipeline has events inside a halt to quarantine."""
    halted = symbols[::HALT_EVERY_N_SYMBOLS]
    start = datetime.combine(day, HALT_START, tzinfo=EXCHANGE_TZ).astimezone(UTC)
    frame = pd.DataFrame(
        {
            "symbol": pd.Series(halted, dtype=object),
            "halt_start_ts": pd.Series([start] * len(halted), dtype=EVENT_TS_DTYPE),
            "halt_end_ts": pd.Series([start + HALT_LENGTH] * len(halted), dtype=EVENT_TS_DTYPE),
            "halt_reason": pd.Series(["LULD pause"] * len(halted), dtype=object),
        }
    )
    return frame


def bad_row_kind_counts(trades: pd.DataFrame, quotes: pd.DataFrame) -> dict[str, int]:
    """How many rows of each BAD_ROW_KINDS kind the frames hold (identification rules)."""
    return {
        "trade_null_symbol": int(trades["symbol"].isna().sum()),
        "trade_null_event_ts": int(trades["event_ts"].isna().sum()),
        "trade_nonpositive_price": int((trades["trade_pr"] <= 0).sum()),
        "trade_nonpositive_qty": int((trades["trade_qty"] <= 0).sum()),
        "trade_duplicate": int(trades.duplicated(keep="first").sum()),
        "quote_null_symbol": int(quotes["symbol"].isna().sum()),
        "quote_crossed": int((quotes["bid_pr"] > quotes["ask_pr"]).sum()),
        "quote_nonpositive_qty": int(((quotes["bid_qty"] <= 0) | (quotes["ask_qty"] <= 0)).sum()),
        "quote_duplicate": int(quotes.duplicated(keep="first").sum()),
    }


# --------------------------------------------------------------------------- universe


def _symbol_universe(scale: TickScale, seed: int) -> list[_SymbolSpec]:
    """Names (sorted) and static traits of every symbol; cheap, so built up front."""
    root = np.random.SeedSequence(seed)
    traits_seq, symbols_seq = root.spawn(2)
    rng = np.random.default_rng(traits_seq)
    names = _tickers(rng, scale.symbols)
    prices = np.clip(np.exp(rng.normal(math.log(50.0), 1.0, scale.symbols)), 5.0, 500.0)
    vols = np.clip(rng.lognormal(math.log(0.02), 0.3, scale.symbols), 0.008, 0.06)
    activity = rng.lognormal(-0.5 * 0.3**2, 0.3, scale.symbols)
    children = symbols_seq.spawn(scale.symbols)
    return [
        _SymbolSpec(
            symbol=names[i],
            start_price=round(float(prices[i]), 2),
            daily_vol=float(vols[i]),
            activity=float(activity[i]),
            base_spread_ticks=_base_spread_ticks(float(prices[i])),
            entropy=int(children[i].entropy),
            spawn_key=tuple(children[i].spawn_key),
        )
        for i in range(scale.symbols)
    ]


def _tickers(rng: np.random.Generator, count: int) -> list[str]:
    """`count` unique 3-4 letter uppercase tickers, sorted."""
    letters = np.array(list(string.ascii_uppercase))
    seen: set[str] = set()
    while len(seen) < count:
        length = 3 if rng.random() < 0.4 else 4
        seen.add("".join(rng.choice(letters, size=length)))
    return sorted(seen)


def _base_spread_ticks(price: float) -> int:
    """Typical quoted spread in $0.01 ticks: ~1 tick at $5, ~8 at $500 (wider in bps when cheap)."""
    spread_bps = 20.0 * (price / 5.0) ** -0.55
    return max(1, round(price * spread_bps / 10_000 / 0.01))


# --------------------------------------------------------------------------- batching


def _iter_batches(
    scale_name: str, seed: int, symbols_per_batch: int | None
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Yield sorted (trades, quotes) for consecutive batches of symbols."""
    scale = scale_of(SCALES, scale_name, "tick")
    universe = _symbol_universe(scale, seed)
    days = trading_days(scale.days)
    size = symbols_per_batch or _default_symbols_per_batch(scale)
    for start in range(0, len(universe), size):
        trades: list[pd.DataFrame] = []
        quotes: list[pd.DataFrame] = []
        for index, spec in enumerate(universe[start : start + size], start=start):
            for t, q in _symbol_frames(spec, scale, days, ensure_every_kind=index == 0):
                trades.append(t)
                quotes.append(q)
        yield (
            _sort_events(pd.concat(trades, ignore_index=True)),
            _sort_events(pd.concat(quotes, ignore_index=True)),
        )


def _default_symbols_per_batch(scale: TickScale) -> int:
    rows_per_symbol = scale.days * scale.trades_per_symbol_day * (1 + scale.quotes_per_trade)
    return max(1, int(_TARGET_ROWS_PER_PART // rows_per_symbol))


def _symbol_frames(
    spec: _SymbolSpec, scale: TickScale, days: list[date], *, ensure_every_kind: bool
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Every day of one symbol; the price carries over night with a small gap."""
    rng = spec.rng()
    price = spec.start_price
    for day_index, day in enumerate(days):
        if day_index:
            price *= math.exp(rng.normal(0.0, 0.5 * spec.daily_vol))
        trades, quotes, price = _symbol_day(
            spec, scale, day, price, rng, ensure_every_kind=ensure_every_kind and day_index == 0
        )
        yield trades, quotes


# --------------------------------------------------------------------------- one symbol-day


def _symbol_day(
    spec: _SymbolSpec,
    scale: TickScale,
    day: date,
    open_price: float,
    rng: np.random.Generator,
    *,
    ensure_every_kind: bool,
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Trades and quotes of one symbol on one day, plus the closing mid price."""
    n_trades = max(50, int(rng.poisson(scale.trades_per_symbol_day * spec.activity)))
    n_quotes = max(n_trades, round(n_trades * scale.quotes_per_trade * rng.uniform(0.9, 1.1)))
    bad = _bad_counts(rng, n_trades, n_quotes, ensure_every_kind)
    roles = _event_roles(rng, n_trades, n_quotes, bad)
    offsets = _event_offsets_us(rng, len(roles))
    mid = _mid_cents(rng, offsets, open_price, spec.daily_vol)
    bid, ask = _quote_cents(rng, mid, spec.base_spread_ticks)
    ts_us = _session_open_epoch_us(day) + offsets
    seq = np.arange(len(roles), dtype=np.int64)

    quotes = _quote_rows(rng, spec.symbol, roles, ts_us, seq, bid, ask)
    trades = _trade_rows(rng, spec.symbol, roles, ts_us, seq, bid, ask)
    trades = _append_duplicates(rng, trades, bad["trade_duplicate"])
    quotes = _append_duplicates(rng, quotes, bad["quote_duplicate"])
    return trades, quotes, float(mid[-1]) / 100.0


def _bad_counts(
    rng: np.random.Generator, n_trades: int, n_quotes: int, ensure_every_kind: bool
) -> dict[str, int]:
    """Number of injected rows of each kind: binomial around 0.1 %, at least one if asked."""
    counts = {}
    for kind in BAD_ROW_KINDS:
        if kind.startswith("trade_"):
            count = int(rng.binomial(n_trades, _BAD_RATE_PER_TRADE_KIND))
        else:
            count = int(rng.binomial(n_quotes, _BAD_RATE_PER_QUOTE_KIND))
        counts[kind] = max(count, 1) if ensure_every_kind else count
    return counts


def _event_roles(rng: np.random.Generator, n_trades: int, n_quotes: int, bad: dict[str, int]) -> np.ndarray:
    """Shuffled role codes of every event slot; the first slot is always a clean quote."""
    codes = [_QUOTE, _TRADE, *(_ROLE[k] for k in _SLOT_KINDS)]
    counts = [n_quotes, n_trades, *(bad[k] for k in _SLOT_KINDS)]
    roles = np.repeat(np.array(codes, dtype=np.int8), counts)
    rng.shuffle(roles)
    first_quote = int(np.argmax(roles == _QUOTE))
    roles[[0, first_quote]] = roles[[first_quote, 0]]
    return roles


def _event_offsets_us(rng: np.random.Generator, count: int) -> np.ndarray:
    """Sorted microsecond offsets from the open: U-shaped intensity, with bursts of ties."""
    session_us = SESSION_SECONDS * 1_000_000
    arcsine = np.sin(0.5 * np.pi * rng.random(count)) ** 2
    uniform = rng.random(count)
    fraction = np.where(rng.random(count) < _U_SHAPE_WEIGHT, arcsine, uniform)
    offsets = np.sort(np.minimum((fraction * session_us).astype(np.int64), session_us - 1))
    burst = np.flatnonzero(rng.random(count) < _BURST_SHARE)
    burst = burst[burst > 0]
    offsets[burst] = offsets[burst - 1]  # stays sorted: old offsets[i-1] <= offsets[i+1]
    return offsets


def _mid_cents(
    rng: np.random.Generator, offsets_us: np.ndarray, open_price: float, daily_vol: float
) -> np.ndarray:
    """Mid price in cents at every event: driftless GBM over the session clock."""
    dt = np.diff(offsets_us, prepend=offsets_us[:1]) / 1e6
    sigma = daily_vol / math.sqrt(SESSION_SECONDS)
    steps = sigma * np.sqrt(dt) * rng.standard_normal(len(dt)) - 0.5 * sigma**2 * dt
    return open_price * 100.0 * np.exp(np.cumsum(steps))


def _quote_cents(
    rng: np.random.Generator, mid_cents: np.ndarray, base_ticks: int
) -> tuple[np.ndarray, np.ndarray]:
    """Integer-cent bid and ask around the mid; the spread is always at least one tick."""
    spread = base_ticks + rng.geometric(0.6, len(mid_cents)) - 1
    spread = np.minimum(spread, 3 * base_ticks + 2).astype(np.int64)
    bid = np.maximum(np.floor(mid_cents - spread / 2.0).astype(np.int64), 1)
    return bid, bid + spread


def _quote_rows(
    rng: np.random.Generator,
    symbol: str,
    roles: np.ndarray,
    ts_us: np.ndarray,
    seq: np.ndarray,
    bid: np.ndarray,
    ask: np.ndarray,
) -> pd.DataFrame:
    """Quote rows for every quote-role slot, with the injected defects applied."""
    rows = np.flatnonzero(np.isin(roles, _QUOTE_ROLES))
    role = roles[rows]
    bid_c, ask_c = bid[rows].copy(), ask[rows].copy()
    crossed = role == _ROLE["quote_crossed"]
    bid_c[crossed], ask_c[crossed] = ask[rows][crossed], bid[rows][crossed]
    bid_qty = ROUND_LOT * rng.geometric(0.3, len(rows)).astype(np.int64)
    ask_qty = ROUND_LOT * rng.geometric(0.3, len(rows)).astype(np.int64)
    empty = np.flatnonzero(role == _ROLE["quote_nonpositive_qty"])
    bid_qty[empty[0::2]] = 0
    ask_qty[empty[1::2]] = -ROUND_LOT
    return _frame(
        QUOTE_COLUMNS,
        _symbols(symbol, role == _ROLE["quote_null_symbol"]),
        _timestamps(ts_us[rows], np.zeros(len(rows), dtype=bool)),
        seq[rows],
        bid_c / 100.0,
        ask_c / 100.0,
        bid_qty,
        ask_qty,
    )


def _trade_rows(
    rng: np.random.Generator,
    symbol: str,
    roles: np.ndarray,
    ts_us: np.ndarray,
    seq: np.ndarray,
    bid: np.ndarray,
    ask: np.ndarray,
) -> pd.DataFrame:
    """Trade rows at the prevailing clean quote, with the injected defects applied."""
    slots = np.arange(len(roles))
    prevailing = np.maximum.accumulate(np.where(roles == _QUOTE, slots, 0))
    rows = np.flatnonzero(np.isin(roles, _TRADE_ROLES))
    role = roles[rows]
    quote = prevailing[rows]
    side = rng.random(len(rows))
    cents = np.where(
        side < _AT_TOUCH_SHARE / 2,
        bid[quote],
        np.where(side < _AT_TOUCH_SHARE, ask[quote], (bid[quote] + ask[quote]) / 2.0),
    )
    price = np.round(cents / 100.0, 4)
    qty = _trade_sizes(rng, len(rows))
    bad_price = np.flatnonzero(role == _ROLE["trade_nonpositive_price"])
    price[bad_price[0::2]] = 0.0
    price[bad_price[1::2]] *= -1.0
    bad_qty = np.flatnonzero(role == _ROLE["trade_nonpositive_qty"])
    qty[bad_qty[0::2]] = 0
    qty[bad_qty[1::2]] *= -1
    return _frame(
        TRADE_COLUMNS,
        _symbols(symbol, role == _ROLE["trade_null_symbol"]),
        _timestamps(ts_us[rows], role == _ROLE["trade_null_event_ts"]),
        seq[rows],
        price,
        qty,
    )


def _trade_sizes(rng: np.random.Generator, count: int) -> np.ndarray:
    """Heavy-tailed sizes: odd lots (1-99 shares) or Pareto-many round lots."""
    lots = np.minimum(np.floor(rng.pareto(_TRADE_SIZE_TAIL, count)) + 1, _MAX_TRADE_LOTS)
    odd = rng.integers(1, ROUND_LOT, count)
    is_odd = rng.random(count) < _ODD_LOT_SHARE
    return np.where(is_odd, odd, ROUND_LOT * lots).astype(np.int64)


def _append_duplicates(rng: np.random.Generator, frame: pd.DataFrame, count: int) -> pd.DataFrame:
    """Append exact copies of `count` distinct clean rows (defect-free, non-null rows)."""
    if count == 0:
        return frame
    clean = frame.notna().all(axis=1)
    numeric = frame.select_dtypes("number").drop(columns="seq")
    clean &= (numeric > 0).all(axis=1)
    if "bid_pr" in frame:
        clean &= frame["bid_pr"] < frame["ask_pr"]
    candidates = np.flatnonzero(clean.to_numpy())
    picked = np.sort(rng.choice(candidates, size=min(count, len(candidates)), replace=False))
    return pd.concat([frame, frame.iloc[picked]], ignore_index=True)


# --------------------------------------------------------------------------- frame helpers


def _session_open_epoch_us(day: date) -> int:
    open_utc, _ = session_bounds_utc(day)
    return int(open_utc.timestamp()) * 1_000_000


def _symbols(symbol: str, null: np.ndarray) -> np.ndarray:
    values = np.full(len(null), symbol, dtype=object)
    values[null] = None
    return values


def _timestamps(epoch_us: np.ndarray, null: np.ndarray) -> pd.Series:
    raw = epoch_us.astype(np.int64).copy()
    raw[null] = np.iinfo(np.int64).min  # NaT
    return pd.Series(pd.DatetimeIndex(raw.view("datetime64[us]")).tz_localize("UTC"))


def _frame(columns: list[str], *values: object) -> pd.DataFrame:
    return pd.DataFrame(dict(zip(columns, values, strict=True)))


def _sort_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by (symbol, event_ts, seq), nulls last, stable so duplicates stay adjacent."""
    return frame.sort_values(["symbol", "event_ts", "seq"], na_position="last", kind="stable").reset_index(
        drop=True
    )


def _reset_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def _write_parquet(frame: pd.DataFrame, schema: pa.Schema, path: Path) -> None:
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    write_parquet(table, path)
