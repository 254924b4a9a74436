"""Landing is atomic: a failed or killed `casebook data generate|ingest` leaves the landed data and its
marker as they were, and `--if-changed` checks the landed folder, not only the marker."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from casebook import cli
from casebook.data import ingest
from pytests.conftest import REPO_ROOT, require_real_data
from pytests.reliability.conftest import (
    assert_refused,
    lobster_copy,
    run_casebook,
    tree_digest,
)


@pytest.fixture
def in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder of `cli.main` calls made in this process (umask restored afterwards)."""
    data = tmp_path / "data"
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(data))
    monkeypatch.setenv("CASEBOOK_PROJECT_DIR", str(REPO_ROOT))
    monkeypatch.delenv("CASEBOOK_DEBUG", raising=False)
    umask = os.umask(0o022)
    os.umask(umask)
    yield data
    os.umask(umask)


def test_an_ingest_failing_after_some_tables_keeps_the_old_data_and_marker(
    in_process: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(["data", "ingest", "lobster", str(lobster_copy(tmp_path / "day1", lines=100))]) == 0
    ticks = in_process / "raw" / "ticks"
    before = tree_digest(ticks)
    marker = (ticks / ".landed").read_text()

    written: list[Path] = []
    real_write = ingest.write_frame

    def write_then_fail(frame, folder, *args, **kwargs):  # the disk fills after the first table
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "part-00000.parquet"))
        written.append(real_write(frame, folder, *args, **kwargs))
        return written[-1]

    monkeypatch.setattr(ingest, "write_frame", write_then_fail)
    code = cli.main(["data", "ingest", "lobster", str(lobster_copy(tmp_path / "day2", lines=300))])

    assert code == 2
    assert written, "the injected failure must come after a table was written"
    assert "the disk is full" in capsys.readouterr().err
    assert tree_digest(ticks) == before
    assert (ticks / ".landed").read_text() == marker
    assert not list((in_process / "raw").glob(".landing-*")), "the failed landing's folder is removed"


def test_a_full_disk_keeps_the_old_data_and_marker(tmpfs, tmp_path: Path) -> None:
    real_day = require_real_data("lobster_amzn_2012-06-21")
    data = tmpfs("1m") / "data"
    assert (
        run_casebook(
            "data", "ingest", "lobster", str(lobster_copy(tmp_path / "small")), data_dir=data
        ).returncode
        == 0
    )
    ticks = data / "raw" / "ticks"
    before = tree_digest(ticks)

    result = run_casebook("data", "ingest", "lobster", str(real_day), data_dir=data)

    assert_refused(result, "the disk is full")
    assert tree_digest(ticks) == before
    assert (ticks / ".landed").read_text().startswith(f"ingested lobster {tmp_path / 'small'}")
    assert not list((data / "raw").glob(".landing-*"))


def test_kill_9_while_generating_keeps_the_old_data_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert (
        run_casebook("data", "generate", "--scale", "tiny", "--domain", "ticks", data_dir=data).returncode
        == 0
    )
    ticks = data / "raw" / "ticks"
    before = tree_digest(ticks)
    env = {**os.environ, "CASEBOOK_DATA_DIR": str(data), "CASEBOOK_PROJECT_DIR": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "casebook.cli", "data", "generate", "--scale", "small", "--domain", "ticks"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not list((data / "raw").glob(".landing-ticks-*/ticks/trades/*.parquet")):
            assert process.poll() is None, "generate ended before it was caught writing beside the lake"
            assert time.monotonic() < deadline, "generate never wrote beside the lake"
            time.sleep(0.05)
        assert tree_digest(ticks) == before, "nothing is written into the live folder while generating"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()

    assert tree_digest(ticks) == before
    result = run_casebook(
        "data", "generate", "--scale", "tiny", "--domain", "ticks", "--if-changed", data_dir=data
    )
    assert result.returncode == 0, result.stderr
    assert "already generated" in result.stdout
    assert not list((data / "raw").glob(".landing-*")), "the killed run's leftovers are removed"


@pytest.mark.parametrize("damage", ["delete the parts", "truncate a part"])
def test_if_changed_repairs_a_damaged_landed_folder(tmp_path: Path, damage: str) -> None:
    data = tmp_path / "data"
    generate = ("data", "generate", "--scale", "tiny", "--domain", "ticks", "--if-changed")
    assert run_casebook(*generate, data_dir=data).returncode == 0
    ticks = data / "raw" / "ticks"
    before = tree_digest(ticks)
    parts = sorted((ticks / "trades").glob("*.parquet"))
    for part in parts if damage == "delete the parts" else parts[:1]:
        part.unlink() if damage == "delete the parts" else part.write_bytes(b"")

    result = run_casebook(*generate, data_dir=data)

    assert result.returncode == 0, result.stderr
    assert "generating again" in result.stdout and "ticks/trades" in result.stdout
    assert tree_digest(ticks) == before, "the repaired folder equals the first landing (same scale and seed)"


def test_two_empty_lobster_files_are_refused_and_keep_the_old_ticks(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert (
        run_casebook(
            "data", "ingest", "lobster", str(lobster_copy(tmp_path / "day")), data_dir=data
        ).returncode
        == 0
    )
    ticks = data / "raw" / "ticks"
    before = tree_digest(ticks)
    empty = lobster_copy(tmp_path / "empty", lines=0)

    result = run_casebook("data", "ingest", "lobster", str(empty), data_dir=data)

    assert_refused(result, "has no rows in trades, quotes")
    assert "--allow-empty" in result.stderr
    assert tree_digest(ticks) == before

    allowed = run_casebook("data", "ingest", "lobster", str(empty), "--allow-empty", data_dir=data)
    assert allowed.returncode == 0, allowed.stderr
    assert pq.read_table(ticks / "trades").num_rows == 0


def test_the_swap_falls_back_to_two_renames_and_recovers_between_them(
    in_process: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casebook.data import landing

    monkeypatch.setattr(landing, "_exchange", lambda first, second: False)
    assert cli.main(["data", "ingest", "lobster", str(lobster_copy(tmp_path / "day1", lines=100))]) == 0
    assert cli.main(["data", "ingest", "lobster", str(lobster_copy(tmp_path / "day2", lines=300))]) == 0
    raw = in_process / "raw"
    assert pq.read_table(raw / "ticks" / "quotes").num_rows == 299
    landed = tree_digest(raw / "ticks")

    os.rename(raw / "ticks", raw / ".ticks.previous")  # a crash between the fallback's two renames
    landing.recover(raw, "ticks")

    assert tree_digest(raw / "ticks") == landed
    assert not (raw / ".ticks.previous").exists()


def test_land_generated_reuses_a_landing_of_the_same_scale_and_seed_only(in_process: Path) -> None:
    from casebook.data import landing

    raw, said = in_process / "raw", []
    first = landing.land_generated(raw, "inventory", "tiny", 42, if_changed=True, report=said.append)
    marker = (raw / "inventory" / ".landed").read_text()
    before = tree_digest(raw / "inventory")

    again = landing.land_generated(raw, "inventory", "tiny", 42, if_changed=True, report=said.append)
    assert again == first and tree_digest(raw / "inventory") == before
    assert said == [f"inventory: already {marker}"]

    other = landing.land_generated(raw, "inventory", "tiny", 7, if_changed=True, report=said.append)
    assert other != first and (raw / "inventory" / ".landed").read_text() == marker.replace(
        "seed=42", "seed=7"
    )
    assert said[-1].startswith("inventory: generating again:") and "holds other data" in said[-1]
