"""DTW benchmark: Casebook's exact windowed DTW (dtaidistance, C) against fastdtw on the 811 x 7 workload.

Every product of the UCI weekly sales seed is compared with the capacity pattern at the seven stretch
factors (0, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5), as fct_dtw_distances does.

    .venv/bin/python benchmarks/dtw_fastdtw.py [--repeat 3]
    PYTHONPATH=/path/to/fastdtw-built-with-its-C-extension .venv/bin/python benchmarks/dtw_fastdtw.py

Steps:
  1. The seed and the pattern are z-normalised once (untimed), so every engine sees the same inputs.
  2. Timed, --repeat times each (median reported), over all 811 x 7 pairs:
     - exact: dtaidistance.dtw.distance_fast, Sakoe-Chiba band r = ceil(stretch x 52) (window r + 1);
       what Casebook runs per product (casebook.dtw.distance.dtw_distance adds the z-normalisation).
     - fastdtw: fastdtw(x, y, radius=max(r, 1), dist=squared difference), then the square root: the
       same cost as the exact distance. fastdtw's radius is its refinement radius, not a band, so it
       approximates the *unconstrained* DTW (radius 0 crashes its pure-Python path, hence at least 1).
     - fastdtw_abs: fastdtw with its default cost (absolute difference, the fast path of its C
       extension): timed only, as its distance is another measure.
  3. Accuracy: per stretch factor, the largest |fastdtw - exact windowed| and |fastdtw - exact
     unconstrained| (dtaidistance without a window), and how often fastdtw lands below the windowed
     distance (it warped past the band) or above the unconstrained one (approximation error).
  4. A markdown table is printed and benchmarks/results/dtw_fastdtw-<python|c>.json is written (after
     the fastdtw implementation that ran).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from dtaidistance import dtw
from fastdtw import fastdtw

from casebook.dtw.capacity import capacity_pattern
from casebook.dtw.distance import STRETCH_FACTORS, band_radius, znormalize

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_CSV = REPO_ROOT / "seeds" / "dtw" / "dtw_uci_sales_weekly.csv"
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
WEEKS = [f"W{week}" for week in range(52)]


def squared_difference(a: float, b: float) -> float:
    """fastdtw's cell cost for the exact definition: (a - b)^2 (the total is square-rooted after)."""
    return (a - b) ** 2


def load_inputs() -> tuple[list[np.ndarray], np.ndarray]:
    """The z-normalised weekly series of every seed product, and the z-normalised capacity pattern."""
    products = pd.read_csv(SEED_CSV)
    series = [znormalize(row) for row in products[WEEKS].to_numpy(dtype=np.float64)]
    return series, znormalize(capacity_pattern()["capacity_units"].to_numpy())


def exact(series: list[np.ndarray], pattern: np.ndarray, radius: int | None) -> np.ndarray:
    """dtaidistance's exact DTW of every series; radius None = no band."""
    window = None if radius is None else radius + 1
    return np.array([dtw.distance_fast(x, pattern, window=window, use_pruning=False) for x in series])


def fastdtw_radius(radius: int) -> int:
    """fastdtw's radius for a band radius: at least 1 (radius 0 crashes fastdtw's pure-Python path)."""
    return max(radius, 1)


def approximate(series: list[np.ndarray], pattern: np.ndarray, radius: int) -> np.ndarray:
    """fastdtw with the squared-difference cost, square-rooted like the exact distance."""
    radius = fastdtw_radius(radius)
    costs = [fastdtw(x, pattern, radius=radius, dist=squared_difference)[0] for x in series]
    return np.sqrt(np.array(costs))


def approximate_abs(series: list[np.ndarray], pattern: np.ndarray, radius: int) -> np.ndarray:
    """fastdtw with its default cost (absolute difference): its fastest path."""
    return np.array([fastdtw(x, pattern, radius=fastdtw_radius(radius))[0] for x in series])


def time_workload(
    label: str, run: Callable[[list[np.ndarray], np.ndarray, int], np.ndarray], inputs: tuple, repeat: int
) -> tuple[list[float], dict[float, np.ndarray]]:
    """Seconds of each full 811 x 7 pass, and the last pass's distances per stretch factor."""
    series, pattern = inputs
    seconds, results = [], {}
    for attempt in range(1, repeat + 1):
        start = time.perf_counter()
        results = {
            factor: run(series, pattern, band_radius(factor, len(pattern))) for factor in STRETCH_FACTORS
        }
        seconds.append(time.perf_counter() - start)
        print(f"  {label} run {attempt}: {seconds[-1]:.3f} s", flush=True)
    return seconds, results


def accuracy(
    windowed: dict[float, np.ndarray], unconstrained: np.ndarray, fast: dict[float, np.ndarray]
) -> list[dict[str, Any]]:
    """Per stretch factor: how far fastdtw is from the exact windowed and unconstrained distances."""
    rows = []
    for factor in STRETCH_FACTORS:
        rows.append(
            {
                "stretch_factor": factor,
                "window_weeks": band_radius(factor, 52),
                "median_exact": round(float(np.median(windowed[factor])), 4),
                "median_fastdtw": round(float(np.median(fast[factor])), 4),
                "max_abs_diff_vs_windowed": float(np.max(np.abs(fast[factor] - windowed[factor]))),
                "max_abs_diff_vs_unconstrained": float(np.max(np.abs(fast[factor] - unconstrained))),
                "share_below_windowed": float(np.mean(fast[factor] < windowed[factor] - 1e-9)),
                "share_above_unconstrained": float(np.mean(fast[factor] > unconstrained + 1e-9)),
            }
        )
    return rows


def fastdtw_implementation() -> str:
    """Which fastdtw ran: its C extension (fastdtw._fastdtw) or the pure-Python fallback."""
    module = fastdtw.__module__
    kind = "C extension" if module.endswith("_fastdtw") else "pure Python"
    return f"{kind} ({module}, {Path(sys.modules[module].__file__).parent})"


def machine_info() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": models[0] if models else platform.processor(),
        "python": platform.python_version(),
        "versions": {name: version(name) for name in ("dtaidistance", "fastdtw", "numpy")},
        "dtaidistance_c": dtw.try_import_c(verbose=False),
        "fastdtw": fastdtw_implementation(),
    }


def markdown(timings: dict[str, list[float]], rows: list[dict[str, Any]], repeat: int) -> str:
    base = statistics.median(timings["exact"])
    lines = [
        f"| engine | seconds for 811 x 7 (median of {repeat}) | x exact |",
        "|---|---:|---:|",
        *(
            f"| {name} | {statistics.median(runs):.3f} | {statistics.median(runs) / base:.1f} |"
            for name, runs in timings.items()
        ),
        "",
        "| stretch | band (weeks) | median exact | median fastdtw | max abs diff vs exact windowed "
        "| max abs diff vs exact unconstrained | fastdtw below windowed | fastdtw above unconstrained |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {row['stretch_factor']:g} | {row['window_weeks']} | {row['median_exact']:.4f} "
            f"| {row['median_fastdtw']:.4f} | {row['max_abs_diff_vs_windowed']:.4f} "
            f"| {row['max_abs_diff_vs_unconstrained']:.4f} | {row['share_below_windowed']:.1%} "
            f"| {row['share_above_unconstrained']:.1%} |"
            for row in rows
        ),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per engine (median reported)")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    inputs = load_inputs()
    print(f"{len(inputs[0])} products x {len(STRETCH_FACTORS)} stretch factors")
    print(f"fastdtw: {fastdtw_implementation()}")

    exact_seconds, windowed = time_workload("exact", exact, inputs, args.repeat)
    fast_seconds, fast = time_workload("fastdtw", approximate, inputs, args.repeat)
    abs_seconds, _ = time_workload("fastdtw_abs", approximate_abs, inputs, args.repeat)
    unconstrained = exact(*inputs, None)
    timings = {"exact": exact_seconds, "fastdtw": fast_seconds, "fastdtw_abs": abs_seconds}
    rows = accuracy(windowed, unconstrained, fast)

    table = markdown(timings, rows, args.repeat)
    payload = {
        "benchmark": "dtw_fastdtw",
        "command": f".venv/bin/python benchmarks/dtw_fastdtw.py --repeat {args.repeat}",
        "started_utc": started.isoformat(timespec="seconds"),
        "machine": {**machine_info(), "loadavg_before": load_before, "loadavg_after": os.getloadavg()},
        "pairs": len(inputs[0]) * len(STRETCH_FACTORS),
        "seconds": {name: [round(value, 4) for value in runs] for name, runs in timings.items()},
        "median_seconds": {name: round(statistics.median(runs), 4) for name, runs in timings.items()},
        "accuracy": rows,
    }
    results = RESULTS_DIR / f"dtw_fastdtw-{'c' if fastdtw.__module__.endswith('_fastdtw') else 'python'}.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(payload, indent=2) + "\n")
    print()
    print(table)
    print(f"\nWrote {results.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
