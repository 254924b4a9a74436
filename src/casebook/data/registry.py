"""Which generator lands each domain's raw data: one line per domain, imported only when used."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

Generator = Callable[[Path, str, int], dict[str, int]]

# domain -> "module:function"; the function writes raw/<domain>/<table>/ and returns row counts.
GENERATORS: dict[str, str] = {
    "inventory": "casebook.data.inventory:write_inventory",
    "ticks": "casebook.data.ticks:write_ticks",
}


def generator(domain: str) -> Generator:
    """The generator of one domain, imported on demand (some pull in heavy libraries)."""
    module, function = GENERATORS[domain].split(":")
    return getattr(import_module(module), function)
