"""Prophet per store-item benchmark: N fits on Spark local[2] against a sequential loop and multiprocessing.

Each "fit" is the production work of one series, casebook.forecasting.series.forecast_series: Prophet
with the model's settings (linear growth, weekly + yearly seasonality, multiplicative, US holidays)
fitted on the series' days through --training-date, then an in-sample predict and a --horizon-day
forecast with a 95 % interval (1,000 samples) and the seasonal-naive baseline.

    .venv/bin/python benchmarks/forecasting_prophet_fits.py [--series 500]

Data: the real Kaggle train.csv (../shared/data/store_item_demand, or $CASEBOOK_REAL_DATA_DIR) when
present, else the generator's `small` scale (the same 10 x 50 shape).

Modes, one after the other in this process. Each series' work also records its own CPU seconds
(os.times() of the worker and its finished children, Stan's optimiser included), so contention from
other jobs on a shared machine shows up as wall > CPU rather than as a wrong t_fit:
  1. sequential: a plain loop over the series in this process;
  2. multiprocessing: a Pool of --cores processes (fork), one series per task;
  3. spark: a fresh SparkSession local[--cores], the series' rows in a Spark DataFrame, one
     applyInPandas group per series (casebook.spark.apply_per_group), forced with a noop write;
  4. sequential_stdlib_json (only when asked): the sequential loop in a fresh process where ujson
     cannot be imported, so stanio writes each fit's Stan data with the standard library's encoder,
     as before Casebook pinned ujson. Compare its wall with `sequential`.
  5. sequential_list_data (only when asked): the sequential loop with Prophet's own cmdstanpy backend,
     which hands stanio lists (walked value by value) where Casebook's hands numpy arrays, as before
     Casebook swapped it. Compare its wall with `sequential`; run both twice (`--modes
     sequential,sequential_list_data,sequential_list_data,sequential`) to see the spread.
--work cv times cross_validate_series instead (the refits of int_forecasting__cross_validation: fits
and point forecasts only).
Ideal parallel time = N * t_fit / cores, t_fit = the sequential mean; efficiency = ideal / wall.
Writes benchmarks/results/forecasting_prophet_fits-n<N>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

from _common import RESULTS_DIR, load_average, machine_info, write_json
from casebook.forecasting import prophet_fit
from casebook.forecasting.series import ForecastConfig, cross_validate_series, forecast_series
from casebook.forecasting.settings import ForecastingSettings
from casebook.settings import from_project

PACKAGES = ("pyspark", "prophet", "cmdstanpy", "holidays", "pandas", "pyarrow")
KEYS = ["store_id", "item_id"]
TIMING_SCHEMA = "store_id bigint, item_id bigint, rows bigint, cpu_s double, wall_s double"


def load_series(training_date: date, count: int) -> tuple[pd.DataFrame, str]:
    """The training rows of the first `count` series (store-major order), and where they came from."""
    real = Path(
        os.environ.get("CASEBOOK_REAL_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data")
    )
    kaggle = real / "store_item_demand"
    if kaggle.is_dir():
        from casebook.data.forecasting import read_store_item_demand

        raw, source = read_store_item_demand(kaggle), "kaggle train.csv"
    else:
        from casebook.data.forecasting import generate_forecasting

        raw, source = (
            generate_forecasting("small", 42).dropna().query("sales >= 0"),
            "generator small, seed 42",
        )
        raw = raw.drop_duplicates(["date", "store", "item"])
    frame = raw.rename(
        columns={"date": "sales_date", "store": "store_id", "item": "item_id", "sales": "sales_qty"}
    )
    frame = frame[frame["sales_date"] <= training_date].astype(
        {"store_id": "int64", "item_id": "int64", "sales_qty": "int64"}
    )
    keys = frame[KEYS].drop_duplicates().sort_values(KEYS).head(count)
    frame = frame.merge(keys, on=KEYS).assign(training_date=training_date)
    return frame[[*KEYS, "training_date", "sales_date", "sales_qty"]], source


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children: Stan's optimiser runs as a child process."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


WORK = {"forecast": forecast_series, "cv": cross_validate_series}
_work = forecast_series


def timed_fit(series: pd.DataFrame, config: ForecastConfig) -> pd.DataFrame:
    """The timed work (forecast_series, or with --work cv cross_validate_series) on one series; one row
    with its output size, CPU and wall seconds."""
    cpu, wall = _cpu_seconds(), time.perf_counter()
    rows = _work(series, config)
    return pd.DataFrame(
        {
            "store_id": [int(series["store_id"].iloc[0])],
            "item_id": [int(series["item_id"].iloc[0])],
            "rows": [len(rows)],
            "cpu_s": [_cpu_seconds() - cpu],
            "wall_s": [time.perf_counter() - wall],
        }
    )


_CONFIG = from_project(ForecastingSettings, Path(__file__).resolve().parents[1]).forecast_config()


def _pool_task(series: pd.DataFrame) -> pd.DataFrame:
    return timed_fit(series, _CONFIG)


def run_sequential(groups: list[pd.DataFrame], config: ForecastConfig) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    timings = pd.concat([timed_fit(group, config) for group in groups], ignore_index=True)
    return time.perf_counter() - start, timings


def run_multiprocessing(groups: list[pd.DataFrame], cores: int) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        timings = pd.concat(pool.map(_pool_task, groups, chunksize=1), ignore_index=True)
    return time.perf_counter() - start, timings


def _without_ujson(work: str) -> None:
    """Pool initializer: stanio falls back to the standard json module; load Prophet's Stan model once."""
    global _work
    _work = WORK[work]
    sys.modules["ujson"] = None  # type: ignore[assignment]  # an import of it now raises ImportError
    import stanio.json
    from prophet import Prophet

    assert not stanio.json.UJSON_AVAILABLE
    Prophet()


def run_sequential_stdlib_json(groups: list[pd.DataFrame], work: str) -> tuple[float, pd.DataFrame]:
    """The sequential loop in one fresh process whose stanio writes Stan data with the stdlib encoder."""
    with multiprocessing.get_context("spawn").Pool(1, initializer=_without_ujson, initargs=(work,)) as pool:
        pool.apply(os.getpid)  # the initializer's imports are not timed
        start = time.perf_counter()
        timings = pd.concat(pool.map(_pool_task, groups, chunksize=1), ignore_index=True)
        return time.perf_counter() - start, timings


def run_sequential_list_data(
    groups: list[pd.DataFrame], config: ForecastConfig
) -> tuple[float, pd.DataFrame]:
    """The sequential loop with Prophet's own backend (lists to stanio) in place of Casebook's."""
    swap = prophet_fit.with_array_data
    prophet_fit.with_array_data = lambda model: model
    try:
        return run_sequential(groups, config)
    finally:
        prophet_fit.with_array_data = swap


def run_spark(frame: pd.DataFrame, config: ForecastConfig, cores: int) -> tuple[float, float, pd.DataFrame]:
    """Seconds to start the session and load the rows, seconds of the fits, and the per-series timings."""
    from functools import partial

    from pyspark.sql import SparkSession

    from casebook.spark import apply_per_group

    os.environ.setdefault(
        "PYSPARK_PYTHON", sys.executable
    )  # workers need this virtualenv (casebook, prophet)
    start = time.perf_counter()
    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("casebook-forecasting-bench")
        .config("spark.sql.shuffle.partitions", str(cores * 4))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    rows = spark.createDataFrame(frame).cache()
    rows.count()
    loaded = time.perf_counter()
    fitted = apply_per_group(rows, KEYS, partial(timed_fit, config=config), TIMING_SCHEMA)
    timings = fitted.toPandas()  # N small rows: every series' work runs on the executors first
    done = time.perf_counter()
    spark.stop()
    return loaded - start, done - loaded, timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=500)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--training-date", type=date.fromisoformat, default=date(2017, 9, 30))
    parser.add_argument("--modes", default="sequential,multiprocessing,spark")
    parser.add_argument("--work", choices=sorted(WORK), default="forecast")
    args = parser.parse_args()
    global _work
    _work = WORK[args.work]

    frame, source = load_series(args.training_date, args.series)
    groups = [group for _, group in frame.groupby(KEYS, sort=True)]
    n = len(groups)
    timed_fit(groups[0], _CONFIG)  # warm-up: imports, Stan model load, holidays tables
    results: dict[str, dict] = {}
    loads = {"start": load_average()}
    modes = args.modes.split(",")
    t_fit = None
    for round_nr, mode in enumerate(modes):
        if mode not in {"sequential", "sequential_list_data"}:
            continue
        run = run_sequential if mode == "sequential" else run_sequential_list_data
        wall, timings = run(groups, _CONFIG)
        if mode == "sequential" and t_fit is None:
            t_fit = float(timings["cpu_s"].mean())
        name = mode if mode not in results else f"{mode} ({round_nr + 1})"
        cpu = float(timings["cpu_s"].sum())
        results[name] = {"wall_s": wall, "cpu_s_sum": cpu, "workers": 1, "mode": mode}
        loads[f"after_{name}"] = load_average()
    if "sequential_stdlib_json" in modes:
        wall, timings = run_sequential_stdlib_json(groups, args.work)
        results["sequential_stdlib_json"] = {
            "wall_s": wall,
            "cpu_s_sum": float(timings["cpu_s"].sum()),
            "workers": 1,
        }
        t_fit = t_fit or float(timings["cpu_s"].mean())
        loads["after_sequential_stdlib_json"] = load_average()
    if "multiprocessing" in modes:
        wall, timings = run_multiprocessing(groups, args.cores)
        results["multiprocessing"] = {
            "wall_s": wall,
            "cpu_s_sum": float(timings["cpu_s"].sum()),
            "workers": args.cores,
        }
        t_fit = t_fit or float(timings["cpu_s"].mean())
        loads["after_multiprocessing"] = load_average()
    if "spark" in modes:
        startup, wall, timings = run_spark(frame, _CONFIG, args.cores)
        results["spark_local"] = {
            "wall_s": wall,
            "session_and_load_s": startup,
            "cpu_s_sum": float(timings["cpu_s"].sum()),
            "workers": args.cores,
        }
        t_fit = t_fit or float(timings["cpu_s"].mean())
        loads["after_spark"] = load_average()
    ideal = n * t_fit / args.cores
    for result in results.values():
        result["ideal_s"] = n * t_fit / result["workers"]
        result["efficiency"] = result["ideal_s"] / result["wall_s"]
        result["worker_overhead_s"] = result["wall_s"] - result["cpu_s_sum"] / result["workers"]
    payload = {
        "series": n,
        "source": source,
        "training_date": args.training_date.isoformat(),
        "work": args.work,
        "t_fit_cpu_s": t_fit,
        "ideal_parallel_s": ideal,
        "results": results,
        "load_average": loads,
        "machine": machine_info(PACKAGES),
        "note": "machine shared with other sessions; load averages recorded before and after each mode",
    }
    if {"sequential", "sequential_stdlib_json"} <= results.keys():
        payload["stdlib_json_over_ujson"] = (
            results["sequential_stdlib_json"]["wall_s"] / results["sequential"]["wall_s"]
        )
    if {"sequential", "sequential_list_data"} <= set(modes):
        walls = {
            mode: [r["wall_s"] for r in results.values() if r.get("mode") == mode]
            for mode in ("sequential", "sequential_list_data")
        }
        means = {mode: sum(values) / len(values) for mode, values in walls.items()}
        payload["list_data_over_array_data"] = means["sequential_list_data"] / means["sequential"]
        print(f"list data / array data, mean walls: {payload['list_data_over_array_data']:.3f}")
    suffix = "" if args.work == "forecast" else f"-{args.work}"
    write_json(RESULTS_DIR / f"forecasting_prophet_fits-n{n}{suffix}.json", payload)
    print(
        f"\n{n} series ({source}), t_fit = {t_fit:.3f} s CPU, ideal on {args.cores} cores = {ideal:.1f} s\n"
    )
    print("| mode | workers | wall s | sum of per-fit CPU s | ideal s | efficiency |")
    print("|---|---|---|---|---|---|")
    for name, result in results.items():
        print(
            f"| {name} | {result['workers']} | {result['wall_s']:.1f} | {result['cpu_s_sum']:.1f} | "
            f"{result['ideal_s']:.1f} | {result['efficiency']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
