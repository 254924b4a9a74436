"""One symbol-day of synthetic events: the price, quote and trade model, and the injected bad rows.

Injected bad rows (the pipeline must quarantine them). They are *added* to the clean data:
every kind except the duplicates takes its own `seq` slot in the symbol's event sequence,
so the clean rows keep a strictly increasing seq (with gaps where a bad row sits). Each
injected row has exactly one defect, so the kinds are disjoint; `bad_row_kind_counts`
identifies them. About 0.1 % of the rows of each frame are bad; the first symbol's first
day always carries at least one of every kind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from casebook.data.ticks.schema import QUOTE_COLUMNS, TRADE_COLUMNS
from casebook.data.ticks.session import SESSION_SECONDS, session_bounds_utc

if TYPE_CHECKING:
    from casebook.data.ticks.generator import TickScale

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
class SymbolSpec:
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


# --------------------------------------------------------------------------- one symbol-day


def symbol_day(
    spec: SymbolSpec,
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
