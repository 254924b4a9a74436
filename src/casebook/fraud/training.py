"""Learn the experts' rule labels with a Spark ML decision tree, on imbalanced and on undersampled data.

The pipeline is the seed's: StringIndexer on the transaction type, VectorAssembler of the type and the
seven amounts and balances (orgDiff and destDiff included), DecisionTreeClassifier; a CrossValidator
over maxDepth x maxBins picks the tree. Everything random is seeded and independent of how Spark
partitions the data, so two builds give the same trees and scores:

  * the 80/20 split is a column of the input (a hash of the transaction id, in SQL);
  * the CrossValidator's folds come from `foldCol`, a hash of (fold seed, transaction id);
  * undersampling keeps a non-fraud row when a hash of (undersample seed, transaction id) falls
    below the share of rule-flagged rows in training (the seed's `dfn.sample(False, p)`);
  * the training rows are hash-partitioned and sorted by id before fitting (the tree samples rows
    to find its split candidates on large inputs).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from casebook.fraud.rules import readable_rules
from casebook.spark import shuffle_partitions

if TYPE_CHECKING:
    from pyspark.ml import PipelineModel
    from pyspark.sql import Column, DataFrame

TYPE_COLUMN = "transaction_type"
LABEL_COLUMN = "rule_label"
KEY_COLUMN = "transaction_id"
# The assembled features, in the seed's order: type index, amount, the four balances, orgDiff, destDiff.
NUMERIC_FEATURES = [
    "amount",
    "orig_old_balance",
    "orig_new_balance",
    "dest_old_balance",
    "dest_new_balance",
    "orig_balance_diff",
    "dest_balance_diff",
]
TYPE_INDEX = "transaction_type_index"
FEATURES = [TYPE_INDEX, *NUMERIC_FEATURES]
UNSEEN_TYPE = "(unseen type)"
VARIANTS = {"imbalanced": "areaUnderPR", "balanced": "areaUnderROC"}  # the seed's CV metric per variant
_HASH_BUCKETS = 1_000_000
_ROWS_PER_PARTITION = 100_000
# How the rules text names the features (the type index reads as the type itself).
RULE_NAMES = [TYPE_COLUMN, *NUMERIC_FEATURES]


@dataclass(frozen=True)
class TrainingSettings:
    """The grid, folds and seeds of one training (built from the vars fraud_* by FraudSettings)."""

    max_depth_grid: tuple[int, ...]
    max_bins_grid: tuple[int, ...]
    folds: int
    parallelism: int
    tree_seed: int
    fold_seed: int
    undersample_seed: int

    def as_params(self) -> dict[str, object]:
        """The settings as MLflow params (grids as comma-separated text)."""
        return {
            "max_depth_grid": ",".join(map(str, self.max_depth_grid)),
            "max_bins_grid": ",".join(map(str, self.max_bins_grid)),
            "cv_folds": self.folds,
            "cv_parallelism": self.parallelism,
            "tree_seed": self.tree_seed,
            "fold_seed": self.fold_seed,
            "undersample_seed": self.undersample_seed,
        }


@dataclass
class TrainedVariant:
    """One fitted variant: the pipeline, its cross-validation and its evaluation."""

    variant: str
    model: PipelineModel
    type_labels: list[str]
    cv_metric_name: str
    cv_results: pd.DataFrame  # max_depth, max_bins, mean metric over the folds
    best_max_depth: int
    best_max_bins: int
    training_rows: int
    training_positive_rows: int
    training_seconds: float
    metrics: dict[str, float] = field(default_factory=dict)
    confusion: dict[str, int] = field(default_factory=dict)
    tree_rules: str = ""


def hash_unit(seed: int, column: str = KEY_COLUMN) -> Column:
    """A number in [0, 1) per row from a hash of (seed, column): a seeded draw that ignores partitioning."""
    from pyspark.sql import functions as F

    return F.pmod(F.xxhash64(F.lit(int(seed)).cast("bigint"), F.col(column)), _HASH_BUCKETS) / _HASH_BUCKETS


def undersample(train: DataFrame, seed: int) -> DataFrame:
    """All rule-flagged rows and about as many others: each non-flagged row kept with probability p,
    the share of flagged rows in `train` (so the kept negatives number about positives x (1 - p))."""
    from pyspark.sql import functions as F

    counts = {row[LABEL_COLUMN]: row["count"] for row in train.groupBy(LABEL_COLUMN).count().collect()}
    total = sum(counts.values())
    share = counts.get(1, 0) / total if total else 0.0
    return train.where((F.col(LABEL_COLUMN) == 1) | (hash_unit(seed) < share))


def _deterministic_rows(frame: DataFrame, folds: int, fold_seed: int) -> DataFrame:
    """Add the fold column and fix the partitioning and row order (both hash/sort on the key).

    One partition per _ROWS_PER_PARTITION rows, at most spark.sql.shuffle.partitions: a tree fit runs a
    Spark job per level, and on small data the tasks' overhead, not the rows, is what costs.
    """
    from pyspark.sql import functions as F

    most = shuffle_partitions(frame.sparkSession)
    partitions = max(1, min(most, math.ceil(frame.count() / _ROWS_PER_PARTITION)))
    fold = F.floor(hash_unit(fold_seed) * folds).cast("int")
    return frame.withColumn("fold", fold).repartition(partitions, KEY_COLUMN).sortWithinPartitions(KEY_COLUMN)


def fit_variant(train: DataFrame, variant: str, settings: TrainingSettings) -> TrainedVariant:
    """Cross-validate the tree on `train` (undersampled first when variant is 'balanced'); the
    CrossValidator refits the best grid point on all of it."""
    from pyspark.ml import PipelineModel
    from pyspark.ml.classification import DecisionTreeClassifier
    from pyspark.ml.evaluation import BinaryClassificationEvaluator
    from pyspark.ml.feature import StringIndexer, VectorAssembler
    from pyspark.ml.tuning import CrossValidator, ParamGridBuilder
    from pyspark.sql import functions as F

    if variant not in VARIANTS:
        raise ValueError(f"unknown model variant {variant!r}: expected one of {list(VARIANTS)}")
    rows = undersample(train, settings.undersample_seed) if variant == "balanced" else train
    rows = _deterministic_rows(
        rows.withColumn("label", F.col(LABEL_COLUMN).cast("double")), settings.folds, settings.fold_seed
    )
    rows = rows.cache()
    started = time.perf_counter()
    indexer = StringIndexer(
        inputCol=TYPE_COLUMN, outputCol=TYPE_INDEX, stringOrderType="alphabetAsc", handleInvalid="keep"
    ).fit(rows)
    assembler = VectorAssembler(inputCols=FEATURES, outputCol="features")
    prepared = assembler.transform(indexer.transform(rows)).select("features", "label", "fold").cache()
    tree = DecisionTreeClassifier(labelCol="label", featuresCol="features", seed=settings.tree_seed)
    grid = (
        ParamGridBuilder()
        .addGrid(tree.maxDepth, list(settings.max_depth_grid))
        .addGrid(tree.maxBins, list(settings.max_bins_grid))
        .build()
    )
    evaluator = BinaryClassificationEvaluator(
        labelCol="label", rawPredictionCol="probability", metricName=VARIANTS[variant]
    )
    validator = CrossValidator(
        estimator=tree,
        estimatorParamMaps=grid,
        evaluator=evaluator,
        numFolds=settings.folds,
        foldCol="fold",
        parallelism=settings.parallelism,
        seed=settings.fold_seed,
    )
    validated = validator.fit(prepared)
    best = validated.bestModel
    elapsed = time.perf_counter() - started
    cv_results = pd.DataFrame(
        [
            {
                "max_depth": params[tree.maxDepth],
                "max_bins": params[tree.maxBins],
                "mean_metric": float(metric),
            }
            for params, metric in zip(grid, validated.avgMetrics, strict=True)
        ]
    )
    counts = {row["label"]: row["count"] for row in prepared.groupBy("label").count().collect()}
    prepared.unpersist()
    labels = list(indexer.labels)
    trained = TrainedVariant(
        variant=variant,
        model=PipelineModel(stages=[indexer, assembler, best]),
        type_labels=labels,
        cv_metric_name=VARIANTS[variant],
        cv_results=cv_results,
        best_max_depth=best.getMaxDepth(),
        best_max_bins=best.getMaxBins(),
        training_rows=int(sum(counts.values())),
        training_positive_rows=int(counts.get(1.0, 0)),
        training_seconds=elapsed,
    )
    trained.tree_rules = readable_rules(best.toDebugString, RULE_NAMES, {0: [*labels, UNSEEN_TYPE]})
    trained.metrics = {f"train_{name}": value for name, value in evaluate(trained.model, rows).items()}
    rows.unpersist()
    return trained


def evaluate(model: PipelineModel, rows: DataFrame) -> dict[str, float]:
    """Areas under the PR and ROC curves of the model's fraud probability against the rule labels."""
    from pyspark.ml.evaluation import BinaryClassificationEvaluator
    from pyspark.sql import functions as F

    scored = model.transform(rows.withColumn("label", F.col(LABEL_COLUMN).cast("double"))).cache()
    # Scored by the fraud probability (the tree's rawPrediction holds leaf counts, which rank differently).
    result = {
        metric: BinaryClassificationEvaluator(rawPredictionCol="probability", metricName=name).evaluate(
            scored
        )
        for metric, name in (("area_under_pr", "areaUnderPR"), ("area_under_roc", "areaUnderROC"))
    }
    scored.unpersist()
    return result


def confusion_counts(model: PipelineModel, rows: DataFrame) -> dict[str, int]:
    """True/false positives and negatives of the model's predictions against the rule labels."""
    scored = model.transform(rows).groupBy(LABEL_COLUMN, "prediction").count().collect()
    cells = {(int(row[LABEL_COLUMN]), int(row["prediction"])): int(row["count"]) for row in scored}
    return {
        "true_positives": cells.get((1, 1), 0),
        "false_positives": cells.get((0, 1), 0),
        "false_negatives": cells.get((1, 0), 0),
        "true_negatives": cells.get((0, 0), 0),
    }


def score(model: PipelineModel, rows: DataFrame) -> DataFrame:
    """Each row's fraud probability and predicted label (1 = fraud), next to its key."""
    from pyspark.ml.functions import vector_to_array
    from pyspark.sql import functions as F

    scored = model.transform(rows)
    return scored.select(
        KEY_COLUMN,
        vector_to_array("probability")[1].alias("fraud_probability"),
        F.col("prediction").cast("int").alias("predicted_label"),
    )


def train_variants(labeled: DataFrame, settings: TrainingSettings) -> list[TrainedVariant]:
    """Both variants, trained on the rows whose data_split is 'train', evaluated on the 'test' rows."""
    from pyspark.sql import functions as F

    train = labeled.where(F.col("data_split") == "train")
    test = labeled.where(F.col("data_split") == "test").cache()
    trained = []
    for variant in VARIANTS:
        result = fit_variant(train, variant, settings)
        result.metrics.update({f"test_{name}": value for name, value in evaluate(result.model, test).items()})
        result.confusion = confusion_counts(result.model, test)
        trained.append(result)
    test.unpersist()
    return trained
