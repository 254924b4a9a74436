"""Per-series seeds that are the same in every process, partition and run."""

from __future__ import annotations

import hashlib
import json


def stable_seed(global_seed: int, *keys: object, bits: int = 63) -> int:
    """The top `bits` bits (1 to 64) of SHA-256 over (global seed, keys as text).

    Unlike hash(), stable across processes and Python versions, so a series draws the same numbers
    whichever Spark worker handles it; different keys give independent seeds.
    """
    if not 1 <= bits <= 64:
        raise ValueError(f"bits must lie between 1 and 64, got {bits}")
    payload = json.dumps([int(global_seed), *(str(key) for key in keys)]).encode()
    return int.from_bytes(hashlib.sha256(payload).digest()[:8], "big") >> (64 - bits)
