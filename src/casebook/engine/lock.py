"""One process at a time on the embedded Derby metastore, told in one sentence instead of a stack trace."""

from __future__ import annotations

import errno
import fcntl
import os
import sys
from pathlib import Path
from typing import IO

_held: dict[Path, IO[str]] = {}


class MetastoreBusyError(RuntimeError):
    """Raised when another process holds the embedded metastore."""


class MetastoreUnwritableError(RuntimeError):
    """Raised when the metastore folder cannot be written (a read-only data folder)."""


def busy_message(metastore: Path, holder: str) -> str:
    return (
        f"The embedded metastore in {metastore} is in use by another process ({holder}). "
        "Derby, the embedded metastore, admits one process at a time: wait for that process to end "
        "(or stop it: `casebook stop` for a Thrift server), or point both processes at a shared "
        "metastore (see 'Sharing the metastore' in the README)."
    )


def read_only_message(metastore: Path, error: OSError) -> str:
    return (
        f"Cannot write {error.filename or metastore}: the embedded metastore needs a writable {metastore} "
        "even to read tables (Derby keeps its lock and log there); make the data folder writable for "
        "your user (`chmod -R u+rwX data`), or read through a shared metastore (CASEBOOK_METASTORE_URL, "
        "see 'Sharing the metastore' in the README)."
    )


def acquire(metastore: Path) -> None:
    """Take the metastore's lock for the life of this process; fail at once if it is held."""
    if metastore in _held:
        return
    holder = f"pid {os.getpid()}: {' '.join(Path(a).name for a in sys.argv[:3])}"
    _held[metastore] = take(metastore, holder)


def take(metastore: Path, holder: str) -> IO[str]:
    """Lock the metastore and return the open lock file; the lock lasts while any copy of it is open.

    A child process that inherits the file (subprocess pass_fds) keeps the lock after this one closes it.
    """
    try:
        metastore.mkdir(parents=True, exist_ok=True)
        handle = (metastore / "casebook.lock").open("a+")
    except OSError as error:
        if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
        raise MetastoreUnwritableError(read_only_message(metastore, error)) from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        current = handle.read().strip() or "unknown process"
        handle.close()
        raise MetastoreBusyError(busy_message(metastore, current)) from None
    describe(handle, holder)
    return handle


def describe(handle: IO[str], holder: str) -> None:
    """Say in the lock file who holds it (shown to the next process that finds it busy)."""
    handle.seek(0)
    handle.truncate()
    handle.write(holder)
    handle.flush()
