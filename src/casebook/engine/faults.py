"""Engine faults (a full disk, a crashed Python worker) as one sentence saying what to do.

Spark reports them as hundreds of lines of Java stack; dbt would show all of them as the model's
error. The adapter shows the sentence instead and writes Spark's text to dbt's log (at debug level);
CASEBOOK_DEBUG=1 shows both.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from casebook import paths

DISK_FULL_SIGNS = ("No space left on device", "ENOSPC")
WORKER_CRASH_SIGNS = ("Python worker exited unexpectedly",)


def debugging() -> bool:
    return os.environ.get("CASEBOOK_DEBUG", "") not in ("", "0")


def _fullest(folders: list[Path]) -> Path:
    """The folder (among those that exist) with the least free space: the one that filled up."""

    def free(folder: Path) -> int:
        try:
            return shutil.disk_usage(folder).free
        except OSError:
            return 1 << 62

    existing = [folder for folder in folders if folder.exists()]
    return min(existing, key=free) if existing else folders[0]


def _spill_folders() -> list[Path]:
    configured = os.environ.get("SPARK_LOCAL_DIRS", "")
    return [Path(folder) for folder in configured.split(",") if folder] or [Path(tempfile.gettempdir())]


def engine_fault(message: str, root: Path | None = None) -> str | None:
    """One sentence for a known engine fault in Spark's error `message`, else None."""
    if any(sign in message for sign in DISK_FULL_SIGNS):
        folder = _fullest([paths.data_dir(root), *_spill_folders()])
        return (
            f"Spark stopped: no space left on device under {folder}; free space there (or point "
            "CASEBOOK_DATA_DIR, or SPARK_LOCAL_DIRS for Spark's scratch files, at a bigger disk), then run "
            "the build again."
        )
    if any(sign in message for sign in WORKER_CRASH_SIGNS):
        return (
            "A Spark Python worker crashed (killed, or out of memory) on every attempt of a task: give "
            "Spark more memory (CASEBOOK_DRIVER_MEMORY) or fewer threads (CASEBOOK_SPARK_MASTER='local[1]'), "
            "then run the build again."
        )
    return None
