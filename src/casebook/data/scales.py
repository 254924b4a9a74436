"""Named sizes of the synthetic data sets: one lookup for every generator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

S = TypeVar("S")


def scale_of(scales: Mapping[str, S], name: str, domain: str) -> S:
    """The scale called `name` among a domain's `scales`; ValueError naming the valid ones otherwise."""
    try:
        return scales[name]
    except KeyError:
        valid = ", ".join(scales)
        raise ValueError(f"Unknown {domain} scale {name!r}: expected one of {valid}") from None
