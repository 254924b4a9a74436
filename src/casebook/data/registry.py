"""Which generator lands each domain's raw data, and which ingester each real format: one line each,
imported only when used (some pull in heavy libraries).

Both kinds write `<raw>/<domain>/<table>/part-*.parquet` under the folder they are given (a landing
workspace, see casebook.data.landing) and return the row count of each table they wrote.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Protocol, cast


class Generator(Protocol):
    """Writes `raw/<domain>/` for (scale, seed), the same bytes every time, and returns row counts."""

    def __call__(self, raw: Path, scale: str, seed: int, /) -> dict[str, int]: ...


class Ingester(Protocol):
    """Reads the real files at `path`, writes `raw/<domain>/` and returns row counts.

    A format's options (LOBSTER's `symbol`) are keyword-only arguments with defaults, named in
    INGEST_OPTIONS; the CLI passes its flags of those names.
    """

    def __call__(self, path: Path, raw: Path, /) -> dict[str, int]: ...


# domain -> "module:function", a Generator.
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


# real format -> (domain it lands in, "module:function"), an Ingester.
INGESTERS: dict[str, tuple[str, str]] = {
    "store_item_demand": ("forecasting", "casebook.data.forecasting:ingest_store_item_demand"),
    "lobster": ("ticks", "casebook.data.ingest:ingest_lobster"),
    "citibike": ("stations", "casebook.data.stations:ingest_citibike"),
    "paysim": ("fraud", "casebook.data.fraud:ingest_paysim"),
}

# real format -> the keyword options its ingester takes (every other format takes none).
INGEST_OPTIONS: dict[str, tuple[str, ...]] = {"lobster": ("symbol",)}


def _load(target: str) -> object:
    module, function = target.split(":")
    return getattr(import_module(module), function)


def ingester(format_name: str) -> tuple[str, Ingester]:
    """The domain a real format lands in, and the function that lands it (imported on demand)."""
    domain, target = INGESTERS[format_name]
    return domain, cast(Ingester, _load(target))


def generator(domain: str) -> Generator:
    """The generator of one domain, imported on demand."""
    return cast(Generator, _load(GENERATORS[domain]))
