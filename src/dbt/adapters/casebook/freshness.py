"""Source freshness of file-based sources: when their files were last written (landed)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path


def newest_file_time(location: str) -> datetime | None:
    """The newest modification time (UTC) of the data files under a table's folder, or None when it
    has none; hidden and `_`-prefixed files (markers, Spark's _SUCCESS) are not data."""
    folder = Path(location.removeprefix("file:"))
    if not folder.is_dir():
        return None
    times = [
        path.stat().st_mtime
        for path in folder.rglob("*")
        if path.is_file() and not any(part.startswith((".", "_")) for part in path.relative_to(folder).parts)
    ]
    return datetime.fromtimestamp(max(times), tz=UTC) if times else None


def timestamp_literal(moment: datetime) -> str:
    """A Spark SQL timestamp literal of a UTC time (the engine's session time zone is UTC)."""
    return f"timestamp'{moment.astimezone(UTC).strftime('%Y-%m-%d %H:%M:%S.%f')}'"
