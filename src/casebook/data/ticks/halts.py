"""Trading halts that go with the ticks (the generator's, and an empty table for LOBSTER days)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd

from casebook.data.ticks.schema import EVENT_TS_DTYPE
from casebook.data.ticks.session import EXCHANGE_TZ

HALT_EVERY_N_SYMBOLS = 20
HALT_START = time(12, 0)
HALT_LENGTH = timedelta(minutes=2)


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
