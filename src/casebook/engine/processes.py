"""The background servers Casebook starts (Thrift, Superset) run in their own process groups."""

from __future__ import annotations

import contextlib
import os
import signal
import time


def alive(pid: int) -> bool:
    """True while `pid` runs: reaped if it is our child, else asked of the kernel."""
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child (started by an earlier command)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return finished == 0


def end_group(pid: int, timeout_seconds: float) -> None:
    """Stop the process group led by `pid`: SIGTERM, then SIGKILL after `timeout_seconds`."""
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.5)
    if alive(pid):
        _signal_group(pid, signal.SIGKILL)


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)
