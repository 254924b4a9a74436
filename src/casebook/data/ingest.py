"""`casebook data ingest`: real files of public formats into the lake."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from casebook.data.lake import replace_folder, write_frame
from casebook.data.ticks import HALT_ARROW_SCHEMA, QUOTE_ARROW_SCHEMA, TRADE_ARROW_SCHEMA, trading_halts


def ingest_lobster(path: Path, raw: Path, *, symbol: str | None = None) -> dict[str, int]:
    """A LOBSTER day becomes the ticks source (replacing whatever ticks were there)."""
    from casebook.data.lobster import read_lobster

    trades, quotes = read_lobster(path, symbol=symbol)
    # LOBSTER files carry no halt information: the day lands with an empty halts table.
    halts = trading_halts([], date.today())
    tables = {
        "trades": (trades, TRADE_ARROW_SCHEMA),
        "quotes": (quotes, QUOTE_ARROW_SCHEMA),
        "halts": (halts, HALT_ARROW_SCHEMA),
    }
    for name, (frame, schema) in tables.items():
        folder = raw / "ticks" / name
        replace_folder(folder)
        write_frame(frame, folder, schema=schema)
    return {"trades": len(trades), "quotes": len(quotes), "halts": 0}
