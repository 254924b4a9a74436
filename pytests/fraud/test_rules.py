"""The tree's debug string as readable rules, and those rules applied to rows."""

from __future__ import annotations

import pytest

from casebook.fraud.rules import predict_with_rules, readable_rules

# As Spark's DecisionTreeClassificationModel.toDebugString prints a depth-2 tree.
DEBUG_STRING = """DecisionTreeClassificationModel: uid=dtc_1, depth=2, numNodes=7, numClasses=2, numFeatures=3
  If (feature 1 <= 56900.5)
   If (feature 0 in {2.0,4.0})
    Predict: 1.0
   Else (feature 0 not in {2.0,4.0})
    Predict: 0.0
  Else (feature 1 > 56900.5)
   If (feature 2 <= 12.000000000000002)
    Predict: 1.0
   Else (feature 2 > 12.000000000000002)
    Predict: 0.0
"""
NAMES = ["transaction_type", "orig_old_balance", "orig_new_balance"]
TYPES = ["CASH_IN", "CASH_OUT", "DEBIT", "PAYMENT", "TRANSFER", "(unseen type)"]


def test_rules_name_features_and_types_and_keep_thresholds_exact() -> None:
    text = readable_rules(DEBUG_STRING, NAMES, {0: TYPES})
    assert text.splitlines() == [
        "If orig_old_balance <= 56900.5",
        "  If transaction_type in {DEBIT, TRANSFER}",
        "    Predict: fraud",
        "  Else transaction_type not in {DEBIT, TRANSFER}",
        "    Predict: not fraud",
        "Else orig_old_balance > 56900.5",
        "  If orig_new_balance <= 12.000000000000002",
        "    Predict: fraud",
        "  Else orig_new_balance > 12.000000000000002",
        "    Predict: not fraud",
    ]


def test_rules_predict_like_the_tree_they_describe() -> None:
    text = readable_rules(DEBUG_STRING, NAMES, {0: TYPES})
    rows = [
        {"transaction_type": "TRANSFER", "orig_old_balance": 100.0, "orig_new_balance": 0.0},
        {"transaction_type": "PAYMENT", "orig_old_balance": 56900.5, "orig_new_balance": 0.0},
        {"transaction_type": "PAYMENT", "orig_old_balance": 56901.0, "orig_new_balance": 12.0},
        {"transaction_type": "CASH_OUT", "orig_old_balance": 1e6, "orig_new_balance": 13.0},
    ]
    # By hand: type rule under the balance threshold (inclusive), emptied rule above it.
    assert predict_with_rules(text, rows) == [1, 0, 1, 0]


def test_unexpected_debug_lines_are_refused() -> None:
    with pytest.raises(ValueError, match="unexpected line"):
        readable_rules("header\n  If (something odd)\n", NAMES, {0: TYPES})
