"""Fraud benchmark: training time of the cross-validated decision trees against rows, on local[2].

    .venv/bin/python benchmarks/fraud_training.py --scale small medium [--seed 42] [--sklearn]

Per scale (small = 100,000 transactions, medium = 1,000,000; large = PaySim's 6,362,620):
  1. The generator writes benchmarks/.data/fraud-<scale>/raw (once; reused afterwards).
  2. Casebook: `dbt build --select +int_fraud__model_runs --exclude-resource-type test` in a fresh
     process (the types seed, staging, rule labels,
     then the Python model: per variant a CrossValidator over 3 x 3 grid points x 3 folds, the refit,
     the evaluation and the MLflow logging). Reported: the Python model's execution_time from
     run_results.json, and each variant's training_seconds (cross-validation + refit) from its MLflow
     run, with the training rows.
  3. With --sklearn, scikit-learn's DecisionTreeClassifier in GridSearchCV (max_depth 5, 10, 15, 3 folds,
     n_jobs=2; it has no maxBins) on the same labeled training rows, read back from the
     warehouse, for scale: one process, in memory.
  4. A markdown table is printed and benchmarks/results/fraud_training-<scale>.json written. The script
     exits non-zero when the imbalanced tree's test PR-AUC against the rule labels is below 0.8.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import RESULTS_DIR, BenchDataDir, ensure_raw, load_average, machine_info, write_json
from casebook.data.fraud import SCALES

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO_ROOT / "benchmarks"
MODEL_ID = "model.casebook.int_fraud__model_runs"
EXPERIMENT = "casebook-fraud-decision-tree"


def prepare(scale: str, seed: int) -> Path:
    """The scale's data folder, with its raw transactions generated once."""
    data = BenchDataDir(BENCH_DIR / ".data" / f"fraud-{scale}")
    ensure_raw(data, "fraud", scale, seed)
    return data.data_dir


def run_casebook(data_dir: Path) -> dict[str, Any]:
    """One `dbt build` of the fraud training lineage; the model's time and each variant's MLflow metrics."""
    target = data_dir / "target"
    command = [
        str(Path(sys.executable).parent / "dbt"),
        "build",
        "--select",
        "+int_fraud__model_runs",
        "--exclude-resource-type",
        "test",
        "--profiles-dir",
        str(REPO_ROOT / "profiles"),
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
    ]
    env = {**os.environ, "CASEBOOK_DATA_DIR": str(data_dir)}
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"dbt build failed:\n{(done.stdout + done.stderr)[-4000:]}")
    results = json.loads((target / "run_results.json").read_text())["results"]
    model_seconds = next(r["execution_time"] for r in results if r["unique_id"] == MODEL_ID)
    return {"wall_seconds": wall, "model_seconds": model_seconds, "variants": latest_runs(data_dir)}


def latest_runs(data_dir: Path) -> dict[str, dict[str, float]]:
    """The newest run of each variant in the data folder's MLflow store: its metrics and params."""
    os.environ["CASEBOOK_DATA_DIR"] = str(data_dir)
    from casebook.tracking import client, experiment

    runs = client().search_runs(
        [experiment(EXPERIMENT)], order_by=["attributes.start_time DESC"], max_results=20
    )
    found: dict[str, dict[str, float]] = {}
    for run in runs:
        variant = run.data.params["model_variant"]
        if variant not in found:
            found[variant] = {
                **run.data.metrics,
                "training_rows": float(run.data.params["training_rows"]),
                "best_max_depth": float(run.data.params["best_max_depth"]),
                "best_max_bins": float(run.data.params["best_max_bins"]),
            }
    return found


def run_sklearn(data_dir: Path) -> dict[str, Any]:
    """GridSearchCV over the same depths on the labeled training rows (read from the Delta table)."""
    import pandas as pd
    import pyarrow.dataset as ds
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import GridSearchCV
    from sklearn.tree import DecisionTreeClassifier

    folder = data_dir / "warehouse" / "intermediate.db" / "int_fraud__labeled_transactions"
    # Each build replaces the table in one commit: its files are the ones the latest commit added.
    files = [
        json.loads(line)["add"]["path"]
        for line in sorted((folder / "_delta_log").glob("*.json"))[-1].read_text().splitlines()
        if line.startswith('{"add"')
    ]
    frame = ds.dataset([str(folder / name) for name in files], format="parquet").to_table().to_pandas()
    features = pd.get_dummies(frame["transaction_type"]).astype(float)
    columns = ["amount", "orig_old_balance", "orig_new_balance", "dest_old_balance", "dest_new_balance"]
    features = pd.concat(
        [features, frame[columns], frame["orig_balance_diff"], frame["dest_balance_diff"]], axis=1
    )
    train = (frame["data_split"] == "train").to_numpy()
    search = GridSearchCV(
        DecisionTreeClassifier(random_state=54321),
        {"max_depth": [5, 10, 15]},
        scoring="average_precision",
        cv=3,
        n_jobs=2,
    )
    started = time.perf_counter()
    search.fit(features[train], frame.loc[train, "rule_label"])
    seconds = time.perf_counter() - started
    probability = search.predict_proba(features[~train])[:, 1]
    return {
        "seconds": seconds,
        "training_rows": int(train.sum()),
        "test_average_precision": float(
            average_precision_score(frame.loc[~train, "rule_label"], probability)
        ),
        "best_max_depth": int(search.best_params_["max_depth"]),
        "grid_points": 3,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", nargs="+", default=["small", "medium"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sklearn", action="store_true")
    args = parser.parse_args()
    rows = []
    failed = False
    for scale in args.scale:
        data_dir = prepare(scale, args.seed)
        load_before = load_average()
        casebook = run_casebook(data_dir)
        sklearn = run_sklearn(data_dir) if args.sklearn else None
        payload = {
            "scale": scale,
            "rows": SCALES[scale].rows,
            "seed": args.seed,
            "casebook": casebook,
            "sklearn": sklearn,
            "load_average_before": load_before,
            "load_average_after": load_average(),
            "machine": machine_info(),
        }
        write_json(RESULTS_DIR / f"fraud_training-{scale}.json", payload)
        for variant, metrics in sorted(casebook["variants"].items()):
            rows.append(
                f"| {scale} | {variant} | {int(metrics['training_rows']):,} | "
                f"{metrics['training_seconds']:.1f} | "
                f"{metrics['test_area_under_pr']:.4f} | {metrics['test_false_negatives']:.0f} |"
            )
            if variant == "imbalanced" and metrics["test_area_under_pr"] < 0.8:
                failed = True
        rows.append(f"| {scale} | (whole Python model) | | {casebook['model_seconds']:.1f} | | |")
        if sklearn:
            rows.append(
                f"| {scale} | scikit-learn GridSearchCV (depth only) | {sklearn['training_rows']:,} | "
                f"{sklearn['seconds']:.1f} | {sklearn['test_average_precision']:.4f} (AP) | |"
            )
    print("| scale | variant | training rows | seconds | test PR-AUC | test missed rule flags |")
    print("|---|---|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
