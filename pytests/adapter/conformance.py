"""Shared settings of the conformance suite: Delta everywhere, and the opt-in full run."""

from __future__ import annotations

import os

import pytest

DELTA = {"+file_format": "delta"}
# Every model, seed and snapshot of a conformance project is a Delta table (merge, snapshots, clone).
DELTA_PROJECT = {"models": DELTA, "seeds": DELTA, "snapshots": DELTA}

FULL_ENV = "CASEBOOK_CONFORMANCE"
# Classes that exercise dbt-spark's or dbt-core's macros only (no Casebook code): run with
# CASEBOOK_CONFORMANCE=full; `make test` keeps the suite to what Casebook's adapter changes.
full_only = pytest.mark.skipif(
    os.environ.get(FULL_ENV) != "full",
    reason=f"dbt-spark's own macros, no Casebook code: run with {FULL_ENV}=full",
)
