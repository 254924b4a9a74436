"""Per-product purchase models: feature selection, the member split, single-class products, determinism."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from casebook.members.ranking import (
    OUTPUT_COLUMNS,
    fit_product_model,
    is_validation_member,
    score_product,
)
from casebook.members.settings import MembersSettings
from casebook.settings import from_project

# dbt_project.yml's settings, with weaker regularization for these small hand-made samples.
SETTINGS = replace(from_project(MembersSettings).model_settings(), regularization_c=1.0)


def _samples(rows: int, seed: int) -> tuple[pd.DataFrame, list[str]]:
    """Purchases driven by one feature (signal) and nothing else; two noise features, one constant."""
    rng = np.random.default_rng(seed)
    signal = rng.poisson(2.0, rows)
    frame = pd.DataFrame(
        {
            "member_id": [f"M{i:05d}" for i in range(rows)],
            "as_of_date": pd.Timestamp("2024-06-01").date(),
            "sample_role": "train",
            "product_id": "P001",
            "signal": signal,
            "noise": rng.poisson(2.0, rows),
            "never": np.zeros(rows, dtype=int),
        }
    )
    probability = 1 / (1 + np.exp(-(2.0 * np.log1p(signal) - 3.0)))
    frame["is_purchased"] = rng.random(rows) < probability
    return frame, ["signal", "noise", "never"]


def test_validation_members_are_a_stable_seeded_share() -> None:
    members = pd.Series([f"M{i:05d}" for i in range(4_000)])
    held_out = is_validation_member(members, seed=42, share=0.25)
    assert held_out.mean() == pytest.approx(0.25, abs=0.03)
    np.testing.assert_array_equal(held_out, is_validation_member(members[::-1], 42, 0.25)[::-1])
    assert (held_out != is_validation_member(members, seed=43, share=0.25)).any()


def test_selection_drops_features_without_weight_and_keeps_the_signal() -> None:
    training, features = _samples(3_000, seed=1)
    model = fit_product_model(training, features, SETTINGS)
    assert model.model_kind == "logistic"
    assert model.features[0] == "signal" and "never" not in model.features
    assert model.is_reduced_model and model.feature_count == 3
    assert model.validation_auc_selected > 0.65
    assert model.validation_log_loss_selected <= model.validation_log_loss_full + SETTINGS.selection_tolerance


def test_the_chosen_model_is_the_l2_logistic_regression_refitted_on_all_samples() -> None:
    # Oracle: scikit-learn called directly on the standardised log1p features the model kept.
    training, features = _samples(2_000, seed=2)
    model = fit_product_model(training, features, SETTINGS)
    x = np.log1p(training[model.features].to_numpy(dtype=float))
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    direct = LogisticRegression(C=SETTINGS.regularization_c, max_iter=1000).fit(x, training["is_purchased"])
    np.testing.assert_allclose(model.predict(training), direct.predict_proba(x)[:, 1], rtol=1e-6)
    assert roc_auc_score(training["is_purchased"], model.predict(training)) > 0.65


def test_a_product_nobody_bought_gets_a_constant_small_rate() -> None:
    training, features = _samples(200, seed=3)
    training["is_purchased"] = False
    model = fit_product_model(training, features, SETTINGS)
    assert model.model_kind == "constant" and model.features == []
    np.testing.assert_allclose(model.predict(training), 0.5 / 201)


def test_scores_do_not_depend_on_the_order_spark_delivers_rows_in() -> None:
    training, features = _samples(1_500, seed=4)
    scored = training.sample(300, random_state=0).assign(sample_role="score", is_purchased=None)
    samples = pd.concat([training, scored], ignore_index=True)
    result = score_product(samples, features, SETTINGS)
    shuffled = score_product(samples.sample(frac=1.0, random_state=1), features, SETTINGS)
    assert list(result.columns) == list(OUTPUT_COLUMNS)
    assert len(result) == 300 and set(result["sample_role"]) == {"score"}
    pd.testing.assert_frame_equal(result.reset_index(drop=True), shuffled.reset_index(drop=True))
    assert result["purchase_probability"].between(0, 1).all()
