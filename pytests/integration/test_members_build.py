"""The members lineage of the tiny warehouse, checked against pandas computed from the raw events.

The oracle re-applies the staging rules to the generated events in pandas, derives the as-of dates,
pivots each member's events per window x event type x category, builds the labels, and recomputes
the rankings and precision@N of both the models and the popularity baseline from the model scores.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from dbt.cli.main import dbtRunnerResult

from casebook.data.members import generate_members
from casebook.members.catalog import product_catalog
from casebook.members.ranking import FEATURE_KEYS, score_product
from casebook.members.settings import MembersSettings
from casebook.settings import from_project
from pytests.integration.conftest import SEED  # the seed the tiny raw data was generated with

pytestmark = pytest.mark.integration

PROJECT_SETTINGS = from_project(MembersSettings)  # the build's vars: dbt_project.yml's defaults
WINDOWS_DAYS = list(PROJECT_SETTINGS.feature_windows_days)
EVENT_TYPES = list(PROJECT_SETTINGS.event_types)
LABEL_DAYS = PROJECT_SETTINGS.label_window_days
TRAINING_SNAPSHOTS = PROJECT_SETTINGS.training_snapshots
TOP_N = PROJECT_SETTINGS.top_n
POPULARITY_DAYS = PROJECT_SETTINGS.popularity_window_days
SETTINGS = PROJECT_SETTINGS.model_settings()
MODELS = [
    "fct_member_features",
    "int_members__product_scores",
    "fct_member_next_email_rankings",
    "fct_member_product_models",
    "fct_member_ranking_evaluation",
]


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The raw tiny events (as the warehouse fixture wrote them), each with its expected reason."""
    frame = generate_members("tiny", SEED)
    catalog = product_catalog().set_index("product_id")
    known = frame["product_id"].isin(catalog.index)
    purchase = frame["event_type"] == "purchase"
    rules = {
        "missing_key": frame["event_id"].isna() | frame["member_id"].isna() | frame["event_ts"].isna(),
        "unknown_event_type": ~frame["event_type"].isin(EVENT_TYPES),
        "unknown_product": ~known,
        "category_mismatch": known & (frame["category"] != frame["product_id"].map(catalog["category"])),
        "invalid_purchase_amount": purchase
        & ((frame["quantity"].fillna(0) <= 0) | (frame["revenue"].fillna(-1) < 0)).astype(bool),
    }
    reason = pd.Series(None, index=frame.index, dtype=object)
    for name, broken in rules.items():
        reason = reason.where(reason.notna() | ~broken.astype(bool), name)
    usable = frame[reason.isna()]
    reason[usable.index[usable.duplicated("event_id")]] = "duplicate_event"
    return frame.assign(reason=reason, event_date=frame["event_ts"].dt.date)


@pytest.fixture(scope="module")
def events(raw: pd.DataFrame) -> pd.DataFrame:
    return raw[raw["reason"].isna()]


@pytest.fixture(scope="module")
def as_of_dates(events: pd.DataFrame) -> dict[str, list]:
    score = max(events["event_date"]) + timedelta(days=1)
    evaluation = score - timedelta(days=LABEL_DAYS)
    train = [evaluation - timedelta(days=LABEL_DAYS + 7 * k) for k in range(TRAINING_SNAPSHOTS)]
    return {"score": [score], "evaluation": [evaluation], "train": train}


@pytest.fixture(scope="module")
def oracle_features(events: pd.DataFrame, as_of_dates: dict[str, list]) -> pd.DataFrame:
    categories = sorted(product_catalog()["category"].unique())
    names = [f"{t}_{c}_{w}d_count" for w in WINDOWS_DAYS for t in EVENT_TYPES for c in categories]
    frames = []
    for role, dates in as_of_dates.items():
        for as_of in dates:
            before = events[events["event_date"] < as_of]
            days_before = before["event_date"].map(lambda day, as_of=as_of: (as_of - day).days)
            rows = pd.DataFrame(index=pd.Index(sorted(before["member_id"].unique()), name="member_id"))
            for window in WINDOWS_DAYS:
                inside = before[days_before <= window]
                table = inside.groupby(["member_id", "event_type", "category"]).size().unstack([1, 2])
                for event_type in EVENT_TYPES:
                    for category in categories:
                        column = table.get((event_type, category), pd.Series(dtype=float))
                        rows[f"{event_type}_{category}_{window}d_count"] = column.reindex(rows.index).fillna(
                            0
                        )
            longest = before[days_before <= max(WINDOWS_DAYS)].groupby("member_id").size()
            rows["longest_window_event_count"] = longest.reindex(rows.index, fill_value=0)
            frames.append(rows.reset_index().assign(as_of_date=as_of, sample_role=role))
    oracle = pd.concat(frames, ignore_index=True)
    return oracle[["member_id", "as_of_date", "sample_role", *names, "longest_window_event_count"]]


def _frame(spark, table: str, keys: list[str]) -> pd.DataFrame:
    return spark.table(table).toPandas().sort_values(keys).reset_index(drop=True)


def test_members_models_and_their_tests_succeed(first_build: dbtRunnerResult) -> None:
    statuses = {r.node.name: str(r.status) for r in first_build.result}
    assert all(statuses[model] == "success" for model in MODELS), statuses
    members = {name: status for name, status in statuses.items() if "member" in name}
    assert statuses["assert_member_ranking_beats_popularity"] == "pass"
    assert set(members.values()) <= {"success", "pass"}, members


def test_every_raw_event_is_staged_or_quarantined_with_the_oracles_reason(spark, raw) -> None:
    quarantine = spark.table("staging.stg_members__quarantined_events").toPandas()
    assert Counter(quarantine["quarantine_reason"]) == Counter(raw["reason"].dropna())
    assert set(quarantine["quarantine_reason"]) >= {
        "missing_key",
        "unknown_event_type",
        "unknown_product",
        "invalid_purchase_amount",
        "duplicate_event",
    }
    assert spark.table("staging.stg_members__events").count() == raw["reason"].isna().sum()


def test_the_feature_pivot_equals_the_pandas_oracle(spark, oracle_features) -> None:
    keys = ["sample_role", "as_of_date", "member_id"]
    actual = _frame(spark, "marts.fct_member_features", keys)
    expected = oracle_features.sort_values(keys).reset_index(drop=True)
    assert list(actual.columns) == list(expected.columns)
    assert len(actual.columns) == 3 + 3 * 3 * 6 + 1
    assert len(actual) == len(expected) > 6 * 300
    counts = [column for column in expected.columns if column not in keys]
    pd.testing.assert_frame_equal(actual[keys], expected[keys])
    np.testing.assert_array_equal(
        actual[counts].to_numpy(dtype=np.int64), expected[counts].to_numpy(dtype=np.int64)
    )
    assert expected["purchase_books_90d_count"].sum() > 0


def test_labels_are_the_purchases_of_the_label_window(spark, events, as_of_dates) -> None:
    labels = spark.table("intermediate.int_members__purchase_labels").toPandas()
    purchases = events[events["event_type"] == "purchase"]
    expected = set()
    for role in ("train", "evaluation"):
        for as_of in as_of_dates[role]:
            inside = purchases[
                (purchases["event_date"] >= as_of)
                & (purchases["event_date"] < as_of + timedelta(days=LABEL_DAYS))
            ]
            expected |= {
                (role, as_of, m, p) for m, p in zip(inside["member_id"], inside["product_id"], strict=True)
            }
    actual = set(
        zip(
            labels["sample_role"],
            labels["as_of_date"],
            labels["member_id"],
            labels["product_id"],
            strict=True,
        )
    )
    assert actual == expected and len(expected) > 500


def test_rankings_and_precision_at_n_equal_the_oracle_and_beat_popularity(spark, events, as_of_dates) -> None:
    scores = spark.table("intermediate.int_members__product_scores").toPandas()
    scores = scores.sort_values(
        ["member_id", "purchase_probability", "product_id"], ascending=[True, False, True]
    )
    scores["rank"] = scores.groupby(["member_id", "sample_role"]).cumcount() + 1
    # The next email: each member's top N at the score date.
    emails = _frame(spark, "marts.fct_member_next_email_rankings", ["member_id", "product_rank"])
    top = scores[(scores["sample_role"] == "score") & (scores["rank"] <= TOP_N)].sort_values(
        ["member_id", "rank"]
    )
    assert emails["product_id"].tolist() == top["product_id"].tolist()
    assert set(emails["as_of_date"]) == set(as_of_dates["score"])
    # The held-out date: precision@N of the models and of popularity, over members who bought anything.
    evaluation = scores[scores["sample_role"] == "evaluation"]
    as_of = as_of_dates["evaluation"][0]
    window = events[
        (events["event_type"] == "purchase")
        & (events["event_date"] < as_of)
        & (events["event_date"] >= as_of - timedelta(days=POPULARITY_DAYS))
    ]
    counts = (
        window.groupby("product_id")
        .size()
        .reset_index(name="n")
        .sort_values(["n", "product_id"], ascending=[False, True])
    )
    popular = set(counts["product_id"][:TOP_N])
    bought = evaluation.groupby("member_id")["is_purchased"].sum()
    buyers = bought[bought > 0]
    model_hits = (
        evaluation[(evaluation["rank"] <= TOP_N)].groupby("member_id")["is_purchased"].sum()[buyers.index]
    )
    popular_hits = (
        evaluation[evaluation["product_id"].isin(popular)]
        .groupby("member_id")["is_purchased"]
        .sum()[buyers.index]
    )
    figures = spark.table("marts.fct_member_ranking_evaluation").toPandas().set_index("ranking_method")
    for method, hits in [("model", model_hits), ("popularity", popular_hits)]:
        assert figures.loc[method, "evaluated_members"] == len(buyers)
        assert figures.loc[method, "hit_count"] == hits.sum()
        assert figures.loc[method, "precision_at_n"] == pytest.approx((hits / TOP_N).mean())
        assert figures.loc[method, "recall_at_n"] == pytest.approx((hits / buyers).mean())
    assert figures.loc["model", "precision_at_n"] > 1.2 * figures.loc["popularity", "precision_at_n"]


def test_a_products_scores_reproduce_from_its_samples_off_spark(spark) -> None:
    # Same samples and settings -> the same probabilities, whichever executor fitted the product.
    features = spark.table("marts.fct_member_features").toPandas()
    labels = spark.table("intermediate.int_members__purchase_labels").toPandas()
    product = "P003"
    bought = labels[labels["product_id"] == product][FEATURE_KEYS].assign(is_purchased=True)
    samples = features.merge(bought, on=FEATURE_KEYS, how="left").assign(product_id=product)
    samples["is_purchased"] = samples["is_purchased"].astype("boolean").fillna(False)
    samples.loc[samples["sample_role"] == "score", "is_purchased"] = pd.NA
    names = [column for column in features.columns if column not in FEATURE_KEYS]
    expected = score_product(samples, names, SETTINGS).sort_values(["as_of_date", "member_id"])
    actual = _frame(spark, "intermediate.int_members__product_scores", ["as_of_date", "member_id"])
    actual = actual[actual["product_id"] == product].sort_values(["as_of_date", "member_id"])
    assert actual["member_id"].tolist() == expected["member_id"].tolist()
    np.testing.assert_allclose(actual["purchase_probability"], expected["purchase_probability"], rtol=1e-9)
    assert actual["selected_features"].iloc[0] == expected["selected_features"].iloc[0]
