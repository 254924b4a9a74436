"""Per-product purchase models on the member feature pivot, and the scores that rank products (chapter 9).

For every product, a regularised (L2) logistic regression predicts whether a member buys it in the
label window after an as-of date, from the member's event counts before that date (the wide
feature table). Features are log1p-transformed and standardised, so coefficients are comparable.

Feature selection, judged on members held out of the fit (a seeded split by member id, never on the
held-out evaluation date): fit on all features, drop the features whose standardised weight is
negligible (|coefficient| < min_abs_weight), refit, and keep the reduced model unless the full one
predicts the validation members better (lower log loss by more than selection_tolerance). The
chosen feature set is then refitted on every training sample and scores the evaluation and score
(next email) as-of dates. All of it runs per product on the executors (applyInPandas).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from casebook.seeding import stable_seed
from casebook.spark import ddl

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = [
    "FEATURE_KEYS",
    "OUTPUT_COLUMNS",
    "ModelSettings",
    "ProductModel",
    "fit_product_model",
    "is_validation_member",
    "product_scores",
    "score_product",
]

FEATURE_KEYS = ["member_id", "as_of_date", "sample_role"]
SCORED_ROLES = ("evaluation", "score")
OUTPUT_COLUMNS = {
    "product_id": "string",
    "member_id": "string",
    "as_of_date": "date",
    "sample_role": "string",
    "purchase_probability": "double",
    "is_purchased": "boolean",
    "model_kind": "string",
    "training_samples": "bigint",
    "training_positives": "bigint",
    "feature_count": "int",
    "selected_feature_count": "int",
    "selected_features": "string",
    "is_reduced_model": "boolean",
    "validation_log_loss_full": "double",
    "validation_log_loss_selected": "double",
    "validation_auc_full": "double",
    "validation_auc_selected": "double",
}
OUTPUT_SCHEMA = ddl(OUTPUT_COLUMNS)


@dataclass(frozen=True)
class ModelSettings:
    """The knobs of the per-product models (built from the dbt vars members_* by MembersSettings)."""

    regularization_c: float
    min_abs_weight: float
    selection_tolerance: float
    validation_share: float
    seed: int

    def __post_init__(self) -> None:
        if self.regularization_c <= 0:
            raise ValueError(f"regularization_c must be positive, got {self.regularization_c}")
        if not 0 < self.validation_share < 1:
            raise ValueError(
                f"validation_share must lie strictly between 0 and 1, got {self.validation_share}"
            )
        if self.min_abs_weight < 0:
            raise ValueError(f"min_abs_weight must not be negative, got {self.min_abs_weight}")


@dataclass(frozen=True)
class ProductModel:
    """One product's chosen model and how the selection went."""

    model_kind: str  # "logistic", or "constant" when training has a single class
    features: list[str]
    predict: Callable[[pd.DataFrame], np.ndarray]  # frame with the features -> purchase probabilities
    training_samples: int
    training_positives: int
    feature_count: int
    is_reduced_model: bool
    validation_log_loss_full: float | None
    validation_log_loss_selected: float | None
    validation_auc_full: float | None
    validation_auc_selected: float | None


def is_validation_member(member_ids: pd.Series, seed: int, share: float) -> np.ndarray:
    """Whether each member is held out of the fit to judge feature selection: SHA-256 of (seed, id).

    Stable across processes and partitions, and the same for all of a member's samples, so no member
    is both fitted and validated on.
    """

    def uniform(member_id: str) -> float:
        return stable_seed(seed, member_id, bits=64) / 2**64

    return np.array([uniform(member_id) < share for member_id in member_ids], dtype=bool)


def _matrix(frame: pd.DataFrame, features: list[str]) -> np.ndarray:
    """Counts on a log scale: a member with 40 views is not 40 times as likely to buy as one with 1."""
    return np.log1p(frame[features].to_numpy(dtype=float))


def _fit(frame: pd.DataFrame, labels: np.ndarray, features: list[str], c: float):
    """A standardise + L2 logistic regression pipeline fitted on the frame's features."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=1000))
    return pipeline.fit(_matrix(frame, features), labels)


def _validation(
    pipeline, frame: pd.DataFrame, labels: np.ndarray, features: list[str]
) -> tuple[float, float | None]:
    """Log loss and ROC AUC (None with a single class) of a fitted pipeline on validation samples."""
    from sklearn.metrics import log_loss, roc_auc_score

    probability = pipeline.predict_proba(_matrix(frame, features))[:, 1]
    loss = float(log_loss(labels, probability, labels=[0, 1]))
    auc = float(roc_auc_score(labels, probability)) if len(np.unique(labels)) == 2 else None
    return loss, auc


def fit_product_model(training: pd.DataFrame, features: list[str], settings: ModelSettings) -> ProductModel:
    """Select features on a member split of `training` (column is_purchased), refit on all of it."""
    labels = training["is_purchased"].to_numpy(dtype=int)
    positives = int(labels.sum())
    if positives in (0, len(labels)):  # a single class: nothing to learn, predict its smoothed rate
        rate = (positives + 0.5) / (len(labels) + 1.0)
        return ProductModel(
            "constant", [], lambda frame: np.full(len(frame), rate), len(labels), positives,
            len(features), False, None, None, None, None,
        )  # fmt: skip
    held_out = is_validation_member(training["member_id"], settings.seed, settings.validation_share)
    fit_part, fit_labels = training[~held_out], labels[~held_out]
    check_part, check_labels = training[held_out], labels[held_out]
    chosen, losses, aucs, reduced = features, (None, None), (None, None), False
    if len(np.unique(fit_labels)) == 2 and len(check_labels) > 0:
        full = _fit(fit_part, fit_labels, features, settings.regularization_c)
        weights = np.abs(full[-1].coef_[0])
        kept = [
            name for name, weight in zip(features, weights, strict=True) if weight >= settings.min_abs_weight
        ]
        kept = kept or [features[int(np.argmax(weights))]]
        loss_full, auc_full = _validation(full, check_part, check_labels, features)
        selected = _fit(fit_part, fit_labels, kept, settings.regularization_c)
        loss_selected, auc_selected = _validation(selected, check_part, check_labels, kept)
        losses, aucs = (loss_full, loss_selected), (auc_full, auc_selected)
        # Dropped features must earn their place: keep them only if they lower validation loss.
        reduced = len(kept) < len(features) and loss_full >= loss_selected - settings.selection_tolerance
        chosen = kept if reduced else features
    final = _fit(training, labels, chosen, settings.regularization_c)
    return ProductModel(
        "logistic",
        chosen,
        lambda frame: final.predict_proba(_matrix(frame, chosen))[:, 1],
        len(labels),
        positives,
        len(features),
        reduced,
        losses[0],
        losses[1],
        aucs[0],
        aucs[1],
    )


def score_product(samples: pd.DataFrame, features: list[str], settings: ModelSettings) -> pd.DataFrame:
    """One product's samples (every role) -> its evaluation and score rows with probabilities.

    Rows are sorted by key first, so the fit never depends on the order Spark delivers them in.
    """
    samples = samples.sort_values(["sample_role", "as_of_date", "member_id"], kind="stable")
    model = fit_product_model(samples[samples["sample_role"] == "train"], features, settings)
    scored = samples[samples["sample_role"].isin(SCORED_ROLES)]
    result = scored[["product_id", "member_id", "as_of_date", "sample_role", "is_purchased"]].copy()
    result["purchase_probability"] = model.predict(scored) if len(scored) else []
    result["is_purchased"] = result["is_purchased"].astype("boolean")
    for name, value in {
        "model_kind": model.model_kind,
        "training_samples": model.training_samples,
        "training_positives": model.training_positives,
        "feature_count": model.feature_count,
        "selected_feature_count": len(model.features),
        "selected_features": ",".join(model.features),
        "is_reduced_model": model.is_reduced_model,
        "validation_log_loss_full": model.validation_log_loss_full,
        "validation_log_loss_selected": model.validation_log_loss_selected,
        "validation_auc_full": model.validation_auc_full,
        "validation_auc_selected": model.validation_auc_selected,
    }.items():
        result[name] = value
    return result[list(OUTPUT_COLUMNS)]


def product_scores(
    features: DataFrame, labels: DataFrame, products: DataFrame, settings: ModelSettings
) -> DataFrame:
    """Every (product, member, as-of date) of the evaluation and score dates with its purchase probability.

    Samples are each feature row crossed with each product, labelled by whether the member bought the
    product in the label window (null at the score date, whose window has not happened yet); each
    product's samples are modelled in one group on the executors.
    """
    from pyspark.sql import functions as F

    from casebook.spark import apply_per_group

    feature_names = [name for name in features.columns if name not in FEATURE_KEYS]
    bought = labels.select(*FEATURE_KEYS, "product_id", F.lit(True).alias("has_purchase"))
    samples = (
        features.crossJoin(products.select("product_id"))
        .join(bought, on=[*FEATURE_KEYS, "product_id"], how="left")
        .withColumn(
            "is_purchased",
            F.when(F.col("sample_role") == "score", F.lit(None)).otherwise(
                F.coalesce("has_purchase", F.lit(False))
            ),
        )
        .drop("has_purchase")
    )
    function = partial(score_product, features=feature_names, settings=settings)
    return apply_per_group(samples, ["product_id"], function, OUTPUT_SCHEMA)
