"""The synthetic member events: determinism, learnable preferences, bad rows, the catalog seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from casebook.data.members import (
    CHANNELS,
    EVENT_TYPES,
    SCALES,
    UNKNOWN_PRODUCT_ID,
    generate_members,
    member_traits,
    write_members,
)
from casebook.members.catalog import catalog_csv, product_catalog
from pytests.conftest import REPO_ROOT

SEED = 7


@pytest.fixture(scope="module")
def tiny() -> pd.DataFrame:
    return generate_members("tiny", SEED)


@pytest.fixture(scope="module")
def clean(tiny: pd.DataFrame) -> pd.DataFrame:
    catalog = product_catalog()
    usable = (
        tiny["member_id"].notna()
        & tiny["event_ts"].notna()
        & tiny["event_type"].isin(EVENT_TYPES)
        & tiny["product_id"].isin(catalog["product_id"])
    )
    purchase = tiny["event_type"] == "purchase"
    usable &= ~purchase | ((tiny["quantity"].fillna(0) > 0) & (tiny["revenue"].fillna(-1) >= 0))
    return tiny[usable].drop_duplicates("event_id")


def test_the_catalog_seed_is_the_catalog_the_generator_uses() -> None:
    seed = REPO_ROOT / "seeds" / "members" / "members_product_catalog.csv"
    assert seed.read_text() == catalog_csv()
    catalog = product_catalog()
    assert catalog["product_id"].is_unique and len(catalog) == 30
    assert catalog["category"].str.fullmatch(r"[a-z][a-z0-9_]*").all()


def test_same_seed_gives_identical_events_and_another_seed_differs(tiny: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(tiny, generate_members("tiny", SEED))
    assert not tiny.equals(generate_members("tiny", SEED + 1))
    with pytest.raises(
        ValueError, match="Unknown members scale 'huge': expected one of tiny, small, medium, large"
    ):
        generate_members("huge", SEED)


def test_events_describe_sessions_of_views_clicks_and_purchases(clean: pd.DataFrame) -> None:
    assert clean["member_id"].nunique() > 0.95 * SCALES["tiny"].members
    counts = clean["event_type"].value_counts()
    assert counts["view"] > counts["click"] > counts["purchase"] > 1_000
    assert set(clean["channel"]) == set(CHANNELS)
    catalog = product_catalog().set_index("product_id")
    assert (clean["category"].to_numpy() == catalog.loc[clean["product_id"], "category"].to_numpy()).all()
    purchases = clean[clean["event_type"] == "purchase"]
    prices = catalog.loc[purchases["product_id"], "list_price_usd"].to_numpy()
    np.testing.assert_allclose(purchases["revenue"], purchases["quantity"].astype(float) * prices, atol=0.006)
    assert clean.loc[clean["event_type"] != "purchase", ["quantity", "revenue"]].isna().all().all()
    span = clean["event_ts"].max() - clean["event_ts"].min()
    assert span.days >= SCALES["tiny"].days - 2


def test_members_buy_mostly_in_their_favourite_categories(clean: pd.DataFrame) -> None:
    # The preference the models must learn: a member's purchases follow their hidden category affinity.
    traits = member_traits("tiny", SEED)
    categories = product_catalog()["category"].unique()
    favourite = dict(zip(traits.member_ids, categories[traits.category_affinity.argmax(axis=1)], strict=True))
    purchases = clean[clean["event_type"] == "purchase"]
    in_favourite = (purchases["category"] == purchases["member_id"].map(favourite)).mean()
    assert in_favourite > 0.5  # against 1/6 if members bought at random


def test_every_bad_row_kind_is_injected(tiny: pd.DataFrame, clean: pd.DataFrame) -> None:
    assert tiny["member_id"].isna().any() and tiny["event_ts"].isna().any()
    assert (~tiny["event_type"].isin(EVENT_TYPES)).any()
    assert (tiny["product_id"] == UNKNOWN_PRODUCT_ID).any()
    purchases = tiny[tiny["event_type"] == "purchase"]
    assert (purchases["quantity"] == 0).any() and (purchases["revenue"] < 0).any()
    assert tiny.duplicated().any()
    assert 10 < len(tiny) - len(clean) < 0.02 * len(tiny)


def test_written_parquet_has_one_file_per_thousand_members(tmp_path: Path, tiny: pd.DataFrame) -> None:
    counts = write_members(tmp_path, "tiny", SEED)
    table = pq.read_table(tmp_path / "members" / "events")
    assert counts == {"events": len(tiny)} == {"events": table.num_rows}
    assert str(table.schema.field("event_ts").type) == "timestamp[us, tz=UTC]"
    assert str(table.schema.field("quantity").type) == "int64"
