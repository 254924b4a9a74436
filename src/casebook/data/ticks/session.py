"""The exchange session: time zone, regular hours, and the weekdays the generator trades on."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EXCHANGE_TZ = ZoneInfo("America/New_York")
SESSION_OPEN = time(9, 30)
SESSION_CLOSE = time(16, 0)
SESSION_SECONDS = 6 * 3600 + 30 * 60
FIRST_TRADING_DAY = date(2024, 3, 4)


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
