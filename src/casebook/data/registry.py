"""Which generator lands each domain's raw data: one line per domain, imported only when used."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

Generator = Callable[[Path, str, int], dict[str, int]]

# domain -> "module:function"; the function writes raw/<domain>/<table>/ and returns row counts.
GENERATORS: dict[str, str] = {
    "dtw": "casebook.data.dtw:write_dtw",
    "forecasting": "casebook.data.forecasting:write_forecasting",
    "fraud": "casebook.data.fraud:write_fraud",
    "inventory": "casebook.data.inventory:write_inventory",
    "members": "casebook.data.members:write_members",
    "pods": "casebook.data.pods:write_pods",
    "stations": "casebook.data.stations:write_stations",
    "ticks": "casebook.data.ticks:write_ticks",
}


# real format -> (domain it lands in, "module:function"); the function takes the parsed
# `casebook data ingest FORMAT PATH` arguments and data/raw, writes raw/<domain>/ and returns row counts.
INGESTERS: dict[str, tuple[str, str]] = {
    "store_item_demand": ("forecasting", "casebook.data.forecasting:ingest_store_item_demand"),
    "lobster": ("ticks", "casebook.data.ingest:ingest_lobster"),
    "citibike": ("stations", "casebook.data.stations:ingest_citibike"),
    "paysim": ("fraud", "casebook.data.fraud:ingest_paysim"),
}


def _load(target: str) -> Callable:
    module, function = target.split(":")
    return getattr(import_module(module), function)


def ingester(format_name: str) -> tuple[str, Callable]:
    """The domain a real format lands in, and the function that lands it (imported on demand)."""
    domain, target = INGESTERS[format_name]
    return domain, _load(target)


def generator(domain: str) -> Generator:
    """The generator of one domain, imported on demand (some pull in heavy libraries)."""
    return _load(GENERATORS[domain])
