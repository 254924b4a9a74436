"""CASEBOOK_PROGRESS_SECONDS: how often a Python model's progress line is logged."""

from __future__ import annotations

import pytest

from casebook.progress import DEFAULT_INTERVAL_SECONDS, interval_seconds


def test_progress_interval_defaults_and_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASEBOOK_PROGRESS_SECONDS", raising=False)
    assert interval_seconds() == DEFAULT_INTERVAL_SECONDS
    monkeypatch.setenv("CASEBOOK_PROGRESS_SECONDS", "0")
    assert interval_seconds() == 0.0
    monkeypatch.setenv("CASEBOOK_PROGRESS_SECONDS", "2.5")
    assert interval_seconds() == 2.5


def test_a_malformed_progress_interval_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEBOOK_PROGRESS_SECONDS", "often")
    with pytest.raises(ValueError, match=r"^CASEBOOK_PROGRESS_SECONDS must be a number .* got 'often'"):
        interval_seconds()
