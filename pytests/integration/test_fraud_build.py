"""Fraud detection (chapter 7) in the tiny warehouse, and the rule labels on the real PaySim head sample.

The session's single `dbt build` (conftest) trains both trees and logs them into the warehouse's own MLflow
store. The oracles are independent of the project's code: the staging rules and the seed's rule labels
re-applied in pandas and DuckDB to the generator's raw rows, the areas under PR and ROC and the confusion
counts recomputed with numpy and scikit-learn from the scored mart, and the tree's readable rules applied
to every transaction by hand.
"""

from __future__ import annotations

import subprocess
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from dbt.cli.main import dbtRunnerResult
from sklearn.metrics import confusion_matrix, roc_auc_score

from casebook.data.fraud import TRANSACTION_TYPES, generate_fraud
from casebook.fraud.rules import predict_with_rules
from casebook.fraud.runs import CONFUSION_FILE, RULES_FILE
from casebook.fraud.settings import FraudSettings
from casebook.fraud.training import fit_variant, score
from casebook.settings import from_project
from pytests.conftest import REPO_ROOT, VENV_BIN
from pytests.fraud.paysim_oracle import duckdb_rule_shares, paysim_head, spark_area_under_pr
from pytests.integration.conftest import SEED, Warehouse

pytestmark = pytest.mark.integration

BALANCES = ["oldbalanceOrg", "newbalanceOrig", "oldbalanceDest", "newbalanceDest"]
SETTINGS = from_project(FraudSettings)  # the build's vars: dbt_project.yml's defaults
REVIEW_QUEUE_SIZE = SETTINGS.review_queue_size
MODELS = [
    "int_fraud__labeled_transactions",
    "int_fraud__model_runs",
    "int_fraud__scored_transactions",
    "fct_fraud_label_summary",
    "fct_fraud_scored_transactions",
    "fct_fraud_model_comparison",
    "fct_fraud_review_queue",
]


# --------------------------------------------------------------------------- oracles and fixtures


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The tiny raw rows the warehouse fixture wrote, each with the reason staging must give it."""
    log = generate_fraud("tiny", SEED)
    kind = log["type"].fillna("").str.strip().str.upper()
    reason = pd.Series(None, index=log.index, dtype=object)
    rules = [
        ("unknown_type", ~kind.isin(TRANSACTION_TYPES)),
        ("negative_amount", log["amount"] < 0),
        ("missing_balance", log[BALANCES].isna().any(axis=1)),
    ]
    for name, broken in rules:
        reason = reason.where(reason.notna() | ~broken, name)
    usable = reason.isna()
    reason[usable & log["transaction_id"].duplicated()] = "duplicate_transaction"
    return log.assign(type=kind, reason=reason)


@pytest.fixture(scope="module")
def comparison(spark) -> pd.DataFrame:
    return spark.table("marts.fct_fraud_model_comparison").toPandas().set_index("model_variant")


@pytest.fixture(scope="module")
def scored(spark) -> pd.DataFrame:
    frame = spark.table("marts.fct_fraud_scored_transactions").toPandas()
    return frame.sort_values(["model_variant", "transaction_id"]).reset_index(drop=True)


def test_fraud_models_and_their_tests_succeed(first_build: dbtRunnerResult, warehouse: Warehouse) -> None:
    statuses = {
        r.node.name: str(r.status)
        for r in first_build.result
        if "fraud" in r.node.name and r.node.resource_type in ("seed", "model", "test")  # not exposures
    }
    assert all(statuses[model] == "success" for model in MODELS), statuses
    # Every model of the domain has tests; every data test and unit test declared on them ran, and passed.
    tests = warehouse.statuses_of_tests_on_models_named(first_build, "fraud")
    assert tests and set(tests.values()) == {"pass"}, tests
    assert set(statuses.values()) <= {"success", "pass"}, statuses


def test_every_raw_row_is_staged_or_quarantined_with_the_oracles_reason(spark, raw) -> None:
    quarantine = spark.table("staging.stg_fraud__quarantined_transactions").toPandas()
    assert Counter(quarantine["quarantine_reason"]) == Counter(raw["reason"].dropna())
    assert set(raw["reason"].dropna()) == {
        "unknown_type",
        "negative_amount",
        "missing_balance",
        "duplicate_transaction",
    }
    staged = spark.table("staging.stg_fraud__transactions").toPandas()
    assert sorted(staged["transaction_id"]) == sorted(raw.loc[raw["reason"].isna(), "transaction_id"])
    assert len(staged) + len(quarantine) == len(raw)


def test_label_summary_equals_the_seed_rules_in_duckdb(spark, raw) -> None:
    import duckdb

    clean = raw[raw["reason"].isna()]
    connection = duckdb.connect()
    connection.register("transactions", clean)
    expected = connection.execute(
        """
        select type, label, count(*) as n, sum(amount) as amount
        from (
            select *, case
                when oldbalanceOrg <= 56900 and type = 'TRANSFER' and newbalanceDest <= 105 then 1
                when oldbalanceOrg > 56900 and newbalanceOrig <= 12 then 1
                when oldbalanceOrg > 56900 and newbalanceOrig > 12 and amount > 1160000 then 1
                else 0 end as label
            from transactions
        )
        group by grouping sets ((type, label), (label))
        """
    ).df()
    expected["type"] = expected["type"].fillna("ALL")
    summary = spark.table("marts.fct_fraud_label_summary").toPandas()
    merged = summary.merge(expected, left_on=["transaction_type", "rule_label"], right_on=["type", "label"])
    assert len(merged) == len(summary) == len(expected)
    assert (merged["transaction_count"] == merged["n"]).all()
    np.testing.assert_allclose(merged["total_amount"], merged["amount"], rtol=1e-12)
    row_share, amount_share, flagged = duckdb_rule_shares(clean)
    flagged_row = summary[(summary["transaction_type"] == "ALL") & (summary["rule_label"] == 1)].iloc[0]
    assert flagged_row["transaction_count"] == flagged > 50
    assert flagged_row["share_of_transactions"] == pytest.approx(row_share, rel=1e-12)
    assert flagged_row["share_of_amount"] == pytest.approx(amount_share, rel=1e-12)


def test_test_split_is_a_fifth_and_areas_and_confusion_match_numpy_and_sklearn(comparison, scored) -> None:
    test_share = (scored.loc[scored["model_variant"] == "balanced", "data_split"] == "test").mean()
    assert test_share == pytest.approx(0.2, abs=0.04)
    for variant, row in comparison.iterrows():
        test = scored[(scored["model_variant"] == variant) & (scored["data_split"] == "test")]
        labels, probability = test["rule_label"].to_numpy(), test["fraud_probability"].to_numpy()
        assert row["test_area_under_pr"] == pytest.approx(spark_area_under_pr(labels, probability), abs=1e-9)
        assert row["test_area_under_roc"] == pytest.approx(roc_auc_score(labels, probability), abs=1e-9)
        (tn, fp), (fn, tp) = confusion_matrix(labels, test["predicted_label"], labels=[0, 1])
        assert (row["test_true_positives"], row["test_false_positives"]) == (tp, fp)
        assert (row["test_false_negatives"], row["test_true_negatives"]) == (fn, tn)
        assert row["test_recall"] == pytest.approx(tp / (tp + fn))
    imbalanced_train = scored[(scored["model_variant"] == "imbalanced") & (scored["data_split"] == "train")]
    assert comparison.loc["imbalanced", "training_rows"] == len(imbalanced_train)
    assert comparison.loc["imbalanced", "train_area_under_pr"] == pytest.approx(
        spark_area_under_pr(
            imbalanced_train["rule_label"].to_numpy(), imbalanced_train["fraud_probability"].to_numpy()
        ),
        abs=1e-9,
    )
    assert comparison.loc["imbalanced", "test_area_under_pr"] > 0.8


def test_balanced_training_is_undersampled_and_misses_no_more_rule_flags(comparison, scored) -> None:
    flagged_train = (
        (scored["model_variant"] == "imbalanced")
        & (scored["data_split"] == "train")
        & (scored["rule_label"] == 1)
    ).sum()
    assert comparison["training_positive_rows"].tolist() == [flagged_train, flagged_train]
    assert comparison.loc["balanced", "training_positive_share"] == pytest.approx(0.5, abs=0.15)
    assert comparison.loc["imbalanced", "training_positive_share"] < 0.1
    assert (
        comparison.loc["balanced", "test_false_negatives"]
        <= comparison.loc["imbalanced", "test_false_negatives"]
    )
    assert set(comparison["best_max_depth"]) <= {5, 10, 15}
    assert set(comparison["best_max_bins"]) <= {10, 20, 30}


def test_the_readable_rules_reproduce_every_prediction(comparison, scored) -> None:
    for variant, row in comparison.iterrows():
        own = scored[scored["model_variant"] == variant]
        features = own.assign(
            orig_balance_diff=own["orig_new_balance"] - own["orig_old_balance"],
            dest_balance_diff=own["dest_new_balance"] - own["dest_old_balance"],
        ).to_dict("records")
        assert predict_with_rules(row["tree_rules"], features) == own["predicted_label"].tolist()


def test_review_queue_holds_the_least_confident_predictions(spark, scored) -> None:
    queue = spark.table("marts.fct_fraud_review_queue").toPandas().sort_values("review_rank")
    balanced = scored[scored["model_variant"] == "balanced"].assign(
        distance=lambda frame: (frame["fraud_probability"] - 0.5).abs()
    )
    expected = balanced.sort_values(["distance", "transaction_id"]).head(REVIEW_QUEUE_SIZE)
    assert queue["transaction_id"].tolist() == expected["transaction_id"].tolist()
    assert queue["review_rank"].tolist() == list(range(1, len(expected) + 1))
    assert (queue["disagrees_with_rules"] == (queue["predicted_label"] != queue["rule_label"])).all()


def test_each_variant_is_an_mlflow_run_with_its_confusion_matrix_rules_and_registered_model(
    warehouse, comparison
) -> None:
    from casebook.tracking import client

    tracker = client()
    for variant, row in comparison.iterrows():
        run = tracker.get_run(row["mlflow_run_id"])
        assert run.data.params["model_variant"] == variant
        assert run.data.params["max_depth_grid"] == "5,10,15"
        assert run.data.params["rule_thresholds"] == "56900,105,12,1160000"
        assert run.data.metrics["test_area_under_pr"] == pytest.approx(row["test_area_under_pr"])
        artifacts = {item.path for item in tracker.list_artifacts(row["mlflow_run_id"])}
        assert {CONFUSION_FILE, RULES_FILE} <= artifacts
        version = tracker.get_model_version(row["registered_model_name"], str(row["model_version"]))
        assert version.run_id == row["mlflow_run_id"]
        assert (
            str(warehouse.data_dir) in tracker.get_experiment(row["mlflow_experiment_id"]).artifact_location
        )


def test_training_again_gives_the_same_tree_and_scores(spark, comparison, scored) -> None:
    # A second build's training, in this session on the same table: same seeds, same tree, same scores.
    labeled = spark.table("intermediate.int_fraud__labeled_transactions")
    again = fit_variant(labeled.where("data_split = 'train'"), "balanced", SETTINGS.training())
    built = comparison.loc["balanced"]
    assert (again.best_max_depth, again.best_max_bins) == (built["best_max_depth"], built["best_max_bins"])
    assert again.training_rows == built["training_rows"]
    assert again.tree_rules == built["tree_rules"]
    rescored = score(again.model, labeled).toPandas().sort_values("transaction_id").reset_index(drop=True)
    expected = scored[scored["model_variant"] == "balanced"].reset_index(drop=True)
    assert rescored["transaction_id"].tolist() == expected["transaction_id"].tolist()
    assert rescored["fraud_probability"].tolist() == expected["fraud_probability"].tolist()


# --------------------------------------------------------------------------- the real PaySim head sample


@pytest.mark.real_data
@pytest.mark.changes_shared_warehouse
def test_rule_labels_on_the_real_head_sample_flag_287_percent_of_rows_and_1195_percent_of_amount(
    warehouse: Warehouse, read_delta
) -> None:
    # The real file replaces the shared warehouse's fraud data (so this test runs after every other
    # test on it), and its labels are rebuilt from nothing in this process.
    source = paysim_head()
    data_dir = warehouse.data_dir
    subprocess.run(
        [str(VENV_BIN / "casebook"), "data", "ingest", "paysim", str(source)],
        env={"CASEBOOK_DATA_DIR": str(data_dir), "PATH": str(VENV_BIN)},
        check=True,
        cwd=REPO_ROOT,
    )
    # The labels only (no training), and no data tests: the shared tiny build runs those.
    selection = ("--select", "+fct_fraud_label_summary", "--exclude-resource-type", "test")
    warehouse.dbt_succeeds("build", "--full-refresh", *selection)
    summary = read_delta(data_dir / "warehouse" / "marts.db" / "fct_fraud_label_summary")
    flagged = summary[(summary["transaction_type"] == "ALL") & (summary["rule_label"] == 1)].iloc[0]
    row_share, amount_share, count = duckdb_rule_shares(pd.read_csv(source))
    assert flagged["transaction_count"] == count == 573
    assert flagged["share_of_transactions"] == pytest.approx(row_share, rel=1e-12)
    assert flagged["share_of_amount"] == pytest.approx(amount_share, rel=1e-12)
    assert round(100 * flagged["share_of_transactions"], 2) == 2.87
    assert round(100 * flagged["share_of_amount"], 2) == 11.95
    # Every row of the real file is usable: nothing quarantined.
    assert summary.loc[summary["transaction_type"] == "ALL", "transaction_count"].sum() == 19_999
