"""Independent oracles for the fraud domain: the seed's rule labels in DuckDB, PR/ROC areas in numpy."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pytests.conftest import real_data_dir

FIXTURE = Path(__file__).with_name("fixtures") / "paysim_head_19999.csv.gz"

# The seed notebook's rules (Databricks, "Detecting Financial Fraud at Scale with Decision Trees and
# MLflow"), written out again here rather than imported from the project.
RULE_SQL = """
    case
        when oldbalanceOrg <= 56900 and type = 'TRANSFER' and newbalanceDest <= 105 then 1
        when oldbalanceOrg > 56900 and newbalanceOrig <= 12 then 1
        when oldbalanceOrg > 56900 and newbalanceOrig > 12 and amount > 1160000 then 1
        else 0
    end
"""


def paysim_head() -> Path:
    """The real PaySim head sample: the shared copy when present, else the fixture shipped with the tests."""
    shared = real_data_dir() / "paysim" / "paysim_head_19999.csv"
    return shared if shared.is_file() else FIXTURE


def duckdb_rule_shares(frame: pd.DataFrame) -> tuple[float, float, int]:
    """Share of rows and of amount the seed's rules flag, and the flagged count, computed by DuckDB."""
    connection = duckdb.connect()
    connection.register("transactions", frame)
    flagged_rows, flagged_amount, rows, amount = connection.execute(
        f"""
        select
            sum({RULE_SQL}),
            sum(({RULE_SQL}) * amount),
            count(*),
            sum(amount)
        from transactions
        """
    ).fetchone()
    return flagged_rows / rows, flagged_amount / amount, int(flagged_rows)


def spark_area_under_pr(labels: np.ndarray, scores: np.ndarray) -> float:
    """Spark's BinaryClassificationMetrics.areaUnderPR: trapezoids over (recall, precision) per distinct
    score, highest first, starting from (0, precision at the highest score)."""
    order = np.argsort(-scores, kind="stable")
    labels, scores = labels[order], scores[order]
    last_of_score = np.r_[scores[1:] != scores[:-1], True]
    true_positives = np.cumsum(labels)[last_of_score]
    flagged = np.arange(1, len(labels) + 1)[last_of_score]
    recall = true_positives / labels.sum()
    precision = true_positives / flagged
    recall = np.r_[0.0, recall]
    precision = np.r_[precision[0], precision]
    return float(np.sum((recall[1:] - recall[:-1]) * (precision[1:] + precision[:-1]) / 2))
