"""`casebook data ingest`: real files of public formats into the lake."""

from __future__ import annotations

import argparse
from pathlib import Path

from casebook.data.lake import replace_folder, write_frame


def ingest_lobster(args: argparse.Namespace, raw: Path) -> dict[str, int]:
    """A LOBSTER day becomes the ticks source (replacing whatever ticks were there)."""
    from casebook.data.lobster import read_lobster

    trades, quotes = read_lobster(args.path, symbol=args.symbol)
    for name, frame in {"trades": trades, "quotes": quotes}.items():
        folder = raw / "ticks" / name
        replace_folder(folder)
        write_frame(frame, folder)
    return {"trades": len(trades), "quotes": len(quotes)}
