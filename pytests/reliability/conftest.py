"""Helpers for the reliability suite: the `casebook` command in its own process, small copies of real
LOBSTER files, and a real tmpfs mount (full disk, read-only folder) when the tests run as root."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytests.conftest import REPO_ROOT, require_real_data

LOBSTER_STEM = "AMZN_2012-06-21_34200000_57600000"


def run_casebook(
    *args: str, data_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`casebook ARGS` in a fresh process on `data_dir`; never raises on a non-zero exit."""
    process_env = {
        **{key: value for key, value in os.environ.items() if key != "CASEBOOK_DEBUG"},
        "CASEBOOK_DATA_DIR": str(data_dir),
        "CASEBOOK_PROJECT_DIR": str(REPO_ROOT),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "casebook.cli", *args],
        cwd=data_dir.parent,
        env=process_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def assert_refused(result: subprocess.CompletedProcess, fragment: str) -> None:
    """Exit code 2, one sentence holding `fragment`, no Python traceback."""
    shown = f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    assert result.returncode == 2, shown
    assert "Traceback" not in result.stderr, shown
    assert fragment in result.stderr, shown
    assert len(result.stderr.strip().splitlines()) == 1, shown


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path -> sha256), to prove a folder was not touched."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def lobster_copy(folder: Path, lines: int = 200, date: str = "2012-06-21") -> Path:
    """The first `lines` lines (header included) of the real LOBSTER AMZN day, in `folder`."""
    source = require_real_data("lobster_amzn_2012-06-21")
    folder.mkdir(parents=True, exist_ok=True)
    for kind in ("message", "orderbook"):
        text = (source / f"{LOBSTER_STEM}_{kind}_1.csv").read_text().splitlines(keepends=True)
        name = f"{LOBSTER_STEM}_{kind}_1.csv".replace("2012-06-21", date)
        (folder / name).write_text("".join(text[:lines]))
    return folder


def edit_line(path: Path, line: int, column: int, value: str) -> None:
    """Replace one field (1-based line, 0-based column) of a CSV file."""
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][column] = value
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def csv_header(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        return next(csv.reader(handle))


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[callable]:
    """mount(size) -> a fresh tmpfs folder of that size (root only; skipped elsewhere); unmounted after."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        if os.geteuid() != 0:
            pytest.skip("mounting a small tmpfs (full disk, read-only folder) needs root")
        folder = tmp_path / f"tmpfs{len(mounted)}"
        folder.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
