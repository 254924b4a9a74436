"""A table's folder that the metastore does not know: moved aside under data/, or named in one sentence.

A process killed after Spark wrote a table's files but before the metastore registered the table
(or after dbt-spark dropped a seed and began to recreate it) leaves a folder at the table's
location. Spark then refuses to create the table there (`LOCATION_ALREADY_EXISTS`,
`DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION`). Such a folder inside Casebook's data folder is moved
to data/recovered/ (never deleted); one elsewhere is reported with the command that clears it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from dbt_common.exceptions import DbtRuntimeError

RECOVERED_DIR = "recovered"


@dataclass(frozen=True)
class StrayFolder:
    """A non-empty folder at the location of a table the metastore does not know."""

    folder: Path
    table: str

    @property
    def kind(self) -> str:
        log = self.folder / "_delta_log"
        if log.is_dir() and any(log.glob("*.json")):
            return "a Delta table"
        return "files that are not a Delta table"


def local_path(location: str) -> Path | None:
    """The local folder of a `file:` location URI (or a plain path); None for remote file systems."""
    parsed = urlparse(location)
    if parsed.scheme in ("", "file"):
        return Path(unquote(parsed.path))
    return None


def find_stray_folder(location: str, table: str) -> StrayFolder | None:
    """The folder at `location` when it exists and is not empty (the caller knows no table owns it)."""
    folder = local_path(location)
    if folder is None or not folder.is_dir() or not any(folder.iterdir()):
        return None
    return StrayFolder(folder=folder, table=table)


def recover(stray: StrayFolder, data_dir: Path, now: dt.datetime | None = None) -> str:
    """Move a stray folder inside `data_dir` to data/recovered/; return the sentence saying where.

    A folder outside the data folder is not Casebook's to move: raise, naming it and the command.
    """
    if not stray.folder.resolve().is_relative_to(data_dir.resolve()):
        raise DbtRuntimeError(
            f"Cannot create table {stray.table}: its folder {stray.folder} already holds {stray.kind} "
            f"that the metastore does not know. Move it aside (mv {stray.folder} {stray.folder}.stray) "
            "and run the build again."
        )
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = data_dir / RECOVERED_DIR / f"{stray.table}-{stamp}"
    target.parent.mkdir(parents=True, exist_ok=True)
    stray.folder.rename(target)
    return (
        f"Moved {_shown(stray.folder, data_dir)} ({stray.kind} left by an interrupted build, unknown to "
        f"the metastore) to {_shown(target, data_dir)} so that {stray.table} can be created; "
        "delete it when you no longer need it."
    )


def _shown(folder: Path, data_dir: Path) -> str:
    """A folder as `data/...` relative to the data folder's parent (never an absolute machine path)."""
    try:
        return str(Path(data_dir.name) / folder.resolve().relative_to(data_dir.resolve()))
    except ValueError:
        return str(folder)
