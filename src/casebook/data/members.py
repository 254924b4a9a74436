"""Deterministic synthetic member events: sessions of views, clicks and purchases (chapter 9).

The same (scale, seed) always gives the same rows. One raw table lands under raw/members/events:
one row per event (event_id, session_id, member_id, event_ts, event_type, product_id, category,
channel, quantity, revenue). Products and categories are those of the catalog seed
(casebook.members.catalog).

Preferences are learnable on purpose, so a model can beat ranking by popularity: each member has a
strong affinity to one or two categories (a Dirichlet draw with a small concentration) and their
own favourite products inside each category, visits at their own rate, and converts clicks into
purchases at their own rate. A session picks a category by the member's affinity, views a few of
its products, clicks some, buys some of the clicked ones. Preferences do not change over time, so
recent activity in a category predicts the next purchases in it.

Injected bad rows (the pipeline must quarantine them), about 0.2 % of the events per kind: a missing
member id or timestamp, an event type outside view/click/purchase, a product the catalog does not
know, a purchase with a non-positive quantity or negative revenue, and exact duplicate deliveries.
The first chunk of members always carries at least one of every kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from casebook.data.lake import replace_folder, write_frame
from casebook.data.scales import scale_of
from casebook.members.catalog import product_catalog

__all__ = [
    "BAD_ROW_KINDS",
    "CHANNELS",
    "EVENT_TYPES",
    "LAST_EVENT_DAY",
    "SCALES",
    "MemberScale",
    "generate_members",
    "member_traits",
    "write_members",
]

LAST_EVENT_DAY = datetime(2024, 6, 30, tzinfo=UTC)
EVENT_TYPES = ("view", "click", "purchase")
CHANNELS = ("web", "app", "email")
UNKNOWN_PRODUCT_ID = "P999"
UNKNOWN_EVENT_TYPE = "hover"
_CHUNK_MEMBERS = 1_000
_BAD_RATE = 0.002
_CATEGORY_CONCENTRATION = 0.25  # small: most members care about one or two categories
_PRODUCT_CONCENTRATION = 0.6  # within a category, members have favourites too
_CLICK_RATE = 0.35

BAD_ROW_KINDS = (
    "missing_key",  # added copy with a null member_id or event_ts
    "unknown_event_type",  # added copy with event_type 'hover'
    "unknown_product",  # added copy for a product the catalog does not know
    "invalid_purchase_amount",  # added copy of a purchase with quantity 0 or negative revenue
    "duplicate_event",  # added exact copy
)

SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("session_id", pa.string()),
        ("member_id", pa.string()),
        ("event_ts", pa.timestamp("us", tz="UTC")),
        ("event_type", pa.string()),
        ("product_id", pa.string()),
        ("category", pa.string()),
        ("channel", pa.string()),
        ("quantity", pa.int64()),
        ("revenue", pa.float64()),
    ]
)


@dataclass(frozen=True)
class MemberScale:
    """Size of a generated data set: members followed over `days` days up to LAST_EVENT_DAY."""

    members: int
    days: int


SCALES: dict[str, MemberScale] = {
    "tiny": MemberScale(members=400, days=180),  # ~60,000 events
    "small": MemberScale(members=4_000, days=180),  # ~600,000
    "medium": MemberScale(members=40_000, days=180),  # ~6 million
    "large": MemberScale(members=200_000, days=365),  # ~60 million
}


@dataclass(frozen=True)
class MemberTraits:
    """The hidden preferences of a chunk of members (rows) that drive their events."""

    member_ids: np.ndarray
    category_affinity: np.ndarray  # members x categories, rows sum to 1
    product_weight: np.ndarray  # members x products, sums to 1 within each category
    sessions_per_day: np.ndarray
    purchase_rate: np.ndarray  # share of clicks that end in a purchase
    channel_weight: np.ndarray  # members x channels


def generate_members(scale: str, seed: int) -> pd.DataFrame:
    """The raw events of a scale (clean plus injected bad rows); fine up to `small`."""
    return pd.concat([events for _, events in _iter_chunks(scale, seed)], ignore_index=True)


def member_traits(scale: str, seed: int) -> MemberTraits:
    """The hidden traits of every member of a scale (for tests: is what the model learns there?)."""
    parts = [traits for traits, _ in _iter_chunks(scale, seed)]
    return MemberTraits(
        *(
            np.concatenate([getattr(part, field) for part in parts])
            for field in MemberTraits.__dataclass_fields__
        )
    )


def write_members(raw_dir: Path, scale: str, seed: int) -> dict[str, int]:
    """Write raw_dir/members/events/part-NNNNN.parquet (one file per 1,000 members); return the count."""
    scale_of(SCALES, scale, "members")
    folder = Path(raw_dir) / "members" / "events"
    replace_folder(folder)
    rows = 0
    for part, (_, frame) in enumerate(_iter_chunks(scale, seed)):
        write_frame(frame, folder, part, schema=SCHEMA)
        rows += len(frame)
    return {"events": rows}


# --------------------------------------------------------------------------- generation


def _iter_chunks(scale_name: str, seed: int) -> Iterator[tuple[MemberTraits, pd.DataFrame]]:
    """Yield (traits, events) for each chunk of _CHUNK_MEMBERS members in turn."""
    scale = scale_of(SCALES, scale_name, "members")
    catalog = product_catalog()
    popularity_seq, members_seq = np.random.SeedSequence(seed).spawn(2)
    popularity = _product_popularity(np.random.default_rng(popularity_seq), catalog)
    chunks = -(-scale.members // _CHUNK_MEMBERS)
    for chunk, child in enumerate(members_seq.spawn(chunks)):
        rng = np.random.default_rng(child)
        first = chunk * _CHUNK_MEMBERS
        count = min(_CHUNK_MEMBERS, scale.members - first)
        traits = _traits(rng, first, count, catalog, popularity)
        events = _events(rng, traits, catalog, scale.days)
        yield traits, _inject_bad_rows(rng, events, ensure_every_kind=chunk == 0)


def _product_popularity(rng: np.random.Generator, catalog: pd.DataFrame) -> np.ndarray:
    """How popular each product is inside its category, for everyone (sums to 1 per category)."""
    weight = pd.Series(rng.gamma(2.0, 1.0, len(catalog)))
    return (weight / weight.groupby(catalog["category"]).transform("sum")).to_numpy()


def _traits(
    rng: np.random.Generator, first: int, count: int, catalog: pd.DataFrame, popularity: np.ndarray
) -> MemberTraits:
    categories = catalog["category"].unique()
    affinity = rng.dirichlet(np.full(len(categories), _CATEGORY_CONCENTRATION), count)
    affinity = 0.9 * affinity + 0.1 / len(categories)
    taste = rng.gamma(_PRODUCT_CONCENTRATION, 1.0, (count, len(catalog))) * popularity[None, :]
    category_index = pd.Categorical(catalog["category"], categories=categories).codes
    totals = np.zeros((count, len(categories)))
    np.add.at(totals.T, category_index, taste.T)
    return MemberTraits(
        member_ids=np.array([f"M{first + i + 1:07d}" for i in range(count)], dtype=object),
        category_affinity=affinity,
        product_weight=taste / totals[:, category_index],
        sessions_per_day=rng.lognormal(np.log(0.25), 0.6, count),
        purchase_rate=rng.beta(3.0, 6.0, count),
        channel_weight=rng.dirichlet(np.ones(len(CHANNELS)), count),
    )


def _events(rng: np.random.Generator, traits: MemberTraits, catalog: pd.DataFrame, days: int) -> pd.DataFrame:
    """Every member's sessions: views of products of one category, some clicked, some bought."""
    categories = catalog["category"].unique()
    products = catalog["product_id"].to_numpy()
    product_category = catalog["category"].to_numpy()
    price = catalog["list_price_usd"].to_numpy()
    by_category = [np.flatnonzero(product_category == category) for category in categories]
    first_day = LAST_EVENT_DAY - timedelta(days=days - 1)
    first_us = int(first_day.timestamp() * 1_000_000)
    columns: dict[str, list] = {name: [] for name in SCHEMA.names}
    for m, member_id in enumerate(traits.member_ids):
        sessions = rng.poisson(traits.sessions_per_day[m] * days)
        if sessions == 0:
            continue
        starts = np.sort(rng.integers(0, days * 86_400_000_000 - 3_600_000_000, sessions)) + first_us
        session_category = rng.choice(len(categories), size=sessions, p=traits.category_affinity[m])
        channel = rng.choice(CHANNELS, size=sessions, p=traits.channel_weight[m])
        number = 0
        for s in range(sessions):
            candidates = by_category[session_category[s]]
            weights = traits.product_weight[m, candidates]
            viewed = rng.choice(candidates, size=1 + rng.poisson(1.5), p=weights / weights.sum())
            clicked = rng.random(viewed.size) < _CLICK_RATE
            bought = clicked & (rng.random(viewed.size) < traits.purchase_rate[m])
            at = starts[s]
            for index, is_clicked, is_bought in zip(viewed, clicked, bought, strict=True):
                kinds = ["view", *(["click"] if is_clicked else []), *(["purchase"] if is_bought else [])]
                for kind in kinds:
                    at += int(rng.integers(5_000_000, 90_000_000))  # 5 to 90 seconds later
                    quantity = int(1 + rng.poisson(0.3)) if kind == "purchase" else None
                    number += 1
                    columns["event_id"].append(f"{member_id}-E{number:06d}")
                    columns["session_id"].append(f"{member_id}-S{s + 1:05d}")
                    columns["member_id"].append(member_id)
                    columns["event_ts"].append(at)
                    columns["event_type"].append(kind)
                    columns["product_id"].append(products[index])
                    columns["category"].append(product_category[index])
                    columns["channel"].append(channel[s])
                    columns["quantity"].append(quantity)
                    columns["revenue"].append(round(quantity * price[index], 2) if quantity else None)
    frame = pd.DataFrame(columns)
    frame["event_ts"] = pd.to_datetime(pd.Series(columns["event_ts"], dtype="int64"), unit="us", utc=True)
    frame["quantity"] = pd.array(columns["quantity"], dtype="Int64")
    frame["revenue"] = pd.array(columns["revenue"], dtype="Float64").astype("float64")
    return frame


# --------------------------------------------------------------------------- bad rows


def _inject_bad_rows(rng: np.random.Generator, events: pd.DataFrame, ensure_every_kind: bool) -> pd.DataFrame:
    """The chunk's clean events followed by added, spoiled copies of some of them."""
    added = []
    purchases = events[events["event_type"] == "purchase"]
    for kind in BAD_ROW_KINDS:
        pool = purchases if kind == "invalid_purchase_amount" else events
        at_least = (2 if kind in {"missing_key", "invalid_purchase_amount"} else 1) * ensure_every_kind
        count = max(int(rng.binomial(len(pool), _BAD_RATE)), at_least)
        picked = np.sort(rng.choice(len(pool), size=min(count, len(pool)), replace=False))
        copies = pool.iloc[picked].copy()
        if kind == "missing_key":
            copies.loc[copies.index[0::2], "member_id"] = None
            copies.loc[copies.index[1::2], "event_ts"] = pd.NaT
        elif kind == "unknown_event_type":
            copies["event_type"] = UNKNOWN_EVENT_TYPE
        elif kind == "unknown_product":
            copies["product_id"] = UNKNOWN_PRODUCT_ID
        elif kind == "invalid_purchase_amount":
            copies.loc[copies.index[0::2], "quantity"] = 0
            copies.loc[copies.index[1::2], "revenue"] = -copies.loc[copies.index[1::2], "revenue"]
        added.append(copies)
    return pd.concat([events, *added], ignore_index=True)
