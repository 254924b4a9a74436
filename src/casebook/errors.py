"""Any failure of a `casebook` command as one sentence: what failed, where, and what to do."""

from __future__ import annotations

import errno
import zipfile

_DEBUG_HINT = "run again with --debug (or CASEBOOK_DEBUG=1) to see the traceback"


def sentence(error: BaseException) -> str:
    """The message shown instead of a traceback."""
    if isinstance(error, OSError) and not isinstance(error, FileNotFoundError):
        return _os_sentence(error)
    if isinstance(error, zipfile.BadZipFile):
        return f"not a valid zip file ({error}): download it again or pass the file inside it."
    if isinstance(error, (FileNotFoundError, ValueError, RuntimeError, KeyError, LookupError)):
        return _one_line(str(error)) or f"{type(error).__name__}; {_DEBUG_HINT}."
    return f"{type(error).__name__}: {_one_line(str(error))}; {_DEBUG_HINT}."


def _os_sentence(error: OSError) -> str:
    where = error.filename or "a file"
    if error.errno == errno.ENOSPC:
        return (
            f"the disk is full (writing {where}): free some space, or set CASEBOOK_DATA_DIR to a folder on "
            "a larger disk, and run again; data landed before is unchanged."
        )
    if error.errno == errno.EROFS:
        return (
            f"{where} is on a read-only file system: remount it writable, or set CASEBOOK_DATA_DIR to a "
            "writable folder; data landed before is unchanged."
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return (
            f"permission denied on {where}: make it readable and writable for your user "
            "(e.g. `chmod -R u+rwX data`) or set CASEBOOK_DATA_DIR to a writable folder; "
            "data landed before is unchanged."
        )
    if error.errno == errno.EISDIR:
        return f"{where} is a folder where a file is expected: pass the file itself."
    if error.errno == errno.ENOTDIR:
        return f"{where} is a file where a folder is expected: pass the folder."
    reason = error.strerror or _one_line(str(error))
    return f"{reason} ({where}); {_DEBUG_HINT}."


def _one_line(text: str) -> str:
    """The first line of a message (pandas and pyarrow messages may run over several)."""
    return text.strip().splitlines()[0] if text.strip() else ""
