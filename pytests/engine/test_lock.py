"""The embedded metastore admits one process: the second one is told so at once, in one sentence."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook.engine.lock import MetastoreBusyError, acquire

HOLD_LOCK = """
import sys, time
from pathlib import Path
from casebook.engine.lock import acquire
acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(60)
"""


def test_second_process_gets_a_clear_error_naming_derby_and_the_shared_metastore(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(MetastoreBusyError) as raised:
            acquire(tmp_path)
        assert time.monotonic() - started < 1
        message = str(raised.value)
        assert f"pid {holder.pid}" in message
        assert "Derby" in message and "one process at a time" in message
        assert "shared metastore" in message
    finally:
        holder.kill()
        holder.wait()


def test_lock_is_free_again_when_the_holder_exits(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-c", HOLD_LOCK.replace("time.sleep(60)", ""), str(tmp_path)], check=True)
    acquire(tmp_path)
