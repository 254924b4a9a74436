"""The tick generator: named scales, the symbol universe, and batches of symbols written as Parquet parts."""

from __future__ import annotations

import math
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from casebook.data.lake import replace_folder, write_frame
from casebook.data.scales import scale_of
from casebook.data.ticks.events import SymbolSpec, symbol_day
from casebook.data.ticks.halts import trading_halts
from casebook.data.ticks.schema import HALT_ARROW_SCHEMA, QUOTE_ARROW_SCHEMA, TRADE_ARROW_SCHEMA
from casebook.data.ticks.session import trading_days

_TARGET_ROWS_PER_PART = 2_000_000


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


# --------------------------------------------------------------------------- public API


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
    folders = {name: base / name for name in ("trades", "quotes", "halts")}
    for folder in folders.values():
        replace_folder(folder)
    counts = {"trades": 0, "quotes": 0}
    symbols: list[str] = []
    for part, (trades, quotes) in enumerate(_iter_batches(scale, seed, symbols_per_part)):
        write_frame(trades, folders["trades"], part, schema=TRADE_ARROW_SCHEMA)
        write_frame(quotes, folders["quotes"], part, schema=QUOTE_ARROW_SCHEMA)
        counts["trades"] += len(trades)
        counts["quotes"] += len(quotes)
        symbols.extend(sorted(trades["symbol"].dropna().unique()))
    halts = trading_halts(symbols, trading_days(1)[0])
    write_frame(halts, folders["halts"], schema=HALT_ARROW_SCHEMA)
    counts["halts"] = len(halts)
    return counts


# --------------------------------------------------------------------------- universe


def _symbol_universe(scale: TickScale, seed: int) -> list[SymbolSpec]:
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
        SymbolSpec(
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
    spec: SymbolSpec, scale: TickScale, days: list[date], *, ensure_every_kind: bool
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Every day of one symbol; the price carries over night with a small gap."""
    rng = spec.rng()
    price = spec.start_price
    for day_index, day in enumerate(days):
        if day_index:
            price *= math.exp(rng.normal(0.0, 0.5 * spec.daily_vol))
        trades, quotes, price = symbol_day(
            spec, scale, day, price, rng, ensure_every_kind=ensure_every_kind and day_index == 0
        )
        yield trades, quotes


# --------------------------------------------------------------------------- frames


def _sort_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by (symbol, event_ts, seq), nulls last, stable so duplicates stay adjacent."""
    return frame.sort_values(["symbol", "event_ts", "seq"], na_position="last", kind="stable").reset_index(
        drop=True
    )
