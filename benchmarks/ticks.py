"""Tick benchmark: Casebook's fct_trades (as-of join) and fct_vwap_1m against DuckDB and pandas.

fct_trades gives every valid trade the latest valid quote of the same symbol and trading day at or
before it (a quote stamped with the trade's own time counts; among quotes with equal times the
highest seq wins). fct_vwap_1m aggregates the regular-session trades of fct_trades into one-minute
bars of exchange time (America/New_York): count, volume, notional, VWAP, open, high, low, close.

    .venv/bin/python benchmarks/ticks.py --trades-millions 1 10 --repeat 3 --warm-repeat 1 --no-tests
    .venv/bin/python benchmarks/ticks.py --scale tiny --repeat 1
    .venv/bin/python benchmarks/ticks.py --growth medium trades10m   # growth from two earlier runs

`--trades-millions N` makes a data set of about N million trades and 3N million quotes: 100 x N
symbols over 2 trading days at 5,000 trades per symbol-day (N = 1 is the generator's `medium`).
`--scale` takes one of the generator's named scales instead. With several sizes the script also
reports how each engine's time grows from the first to the last.

Per data set (under benchmarks/.data/<name>, never the project's data/ folder):
  1. Synthetic ticks (trades, quotes, halts) are generated into raw/ once and reused afterwards.
  2. Untimed: `dbt build --select +fct_vwap_1m --full-refresh` (the checked trade and quote tables
     base_ticks__*_checked, which apply the staging rules once, the staging views over them,
     fct_trades, the int view, fct_vwap_1m and their tests; `dbt run`, no tests, with --no-tests),
     then one Spark process exports Spark's own clean inputs, staging.stg_ticks__trades and
     staging.stg_ticks__quotes, to Parquet. The peers read exactly these rows: they do not
     re-implement the staging rules.
  3. Casebook, --repeat times: `dbt run --select fct_trades --full-refresh` and
     `dbt run --select fct_vwap_1m --full-refresh`. The time is the model's execution_time from
     run_results.json: for fct_trades, Spark reading the materialized checked tables through the
     staging views (which only keep the rows without a quarantine reason), the as-of join and the
     Delta write. Both sides therefore read the same materialized clean rows; for
     fct_vwap_1m, reading fct_trades through int_ticks__market_hours_trades, aggregating and writing
     Delta. JVM startup and dbt parsing are excluded; class loading and JIT warm-up are not (every
     `dbt run` is a fresh JVM). Unless --warm-repeat is 0, both statements dbt ran are also replayed
     in one warm Spark session (an untimed warm-up, then --warm-repeat timed runs): casebook_warm.
  4. Peers, --repeat times each, every run in a fresh process timed from inside (imports excluded):
     as-of join = read the clean Parquet, keep the highest seq per (symbol, event_ts) of the quotes,
     join by (symbol, trade_date), write Parquet; VWAP = read the engine's own as-of output, keep
     09:30-16:00 exchange time, aggregate per (symbol, minute), write Parquet. DuckDB uses ASOF LEFT
     JOIN with threads=2 (like Spark local[2]); pandas uses merge_asof and groupby. A pandas run that
     runs out of memory (its address space is capped below the free RAM) is reported, not fatal.
  5. Checks: every engine's as-of output has the same trades with the same matched quote (quote_seq,
     bid_pr, ask_pr); every VWAP output has the same bars with equal counts, volumes, open, high, low
     and close, and notional and VWAP equal to 1e-9 relative. The script exits non-zero otherwise.
  6. Tables are printed; benchmarks/results/ticks-<name>.json is written per data set, and
     benchmarks/results/ticks-growth-<first>-<last>.json when several sizes ran.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import (
    BENCH_DIR,
    REPO_ROOT,
    RESULTS_DIR,
    ensure_raw,
    load_average,
    machine_info,
    meminfo_kib,
    write_json,
)
from ticks_data import (
    LOAD_SAMPLE_SECONDS,
    MODELS,
    PEERS,
    QUOTE_COLUMNS,
    TRADE_COLUMNS,
    BenchPaths,
    dataset_for_trades,
)
from ticks_peers import (
    PEER_RUNS,
    check_asof,
    check_vwap,
    count_parquet,
)
from ticks_report import (
    dataset_table,
    growth,
    growth_table,
)

# --------------------------------------------------------------------------- load


@dataclass
class LoadMonitor:
    """Samples the 1-minute load average in the background and logs it at named phases."""

    samples: list[float] = field(default_factory=list)
    phases: list[dict[str, Any]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> LoadMonitor:
        threading.Thread(target=self._sample, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def mark(self, phase: str) -> None:
        """Remember the load averages at the start or end of `phase`."""
        self.phases.append({"phase": phase, "utc": _now(), "loadavg": load_average()})

    def summary(self) -> dict[str, Any]:
        one_minute = self.samples or [load_average()[0]]
        return {
            "one_minute_min": min(one_minute),
            "one_minute_median": round(statistics.median(one_minute), 2),
            "one_minute_max": max(one_minute),
            "sample_seconds": LOAD_SAMPLE_SECONDS,
            "phases": self.phases,
        }

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.samples.append(load_average()[0])
            self._stop.wait(LOAD_SAMPLE_SECONDS)


def reset_dir(path: Path) -> None:
    """Empty (or create) a folder of this benchmark's own outputs."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- subprocesses


def subprocess_env(paths: BenchPaths) -> dict[str, str]:
    """The environment of dbt and Spark subprocesses: this data set's folder, never data/."""
    return {
        **os.environ,
        "CASEBOOK_DATA_DIR": str(paths.data_dir),
        "CASEBOOK_PROJECT_DIR": str(REPO_ROOT),
    }


def run_self(paths: BenchPaths, *args: str, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    """Run this script's hidden `args[0]` command in a fresh Python process."""
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    return subprocess.run(
        command,
        cwd=REPO_ROOT,
        env=subprocess_env(paths),
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=(lambda: _limit_address_space(limit_bytes)) if limit_bytes else None,
    )


def _limit_address_space(limit_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))


def result_line(done: subprocess.CompletedProcess, what: str) -> dict[str, Any]:
    """The JSON a hidden command printed on its `RESULT=` line; exits with its stderr on failure."""
    if done.returncode != 0:
        raise SystemExit(f"{what} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT=")), None)
    if line is None:
        raise SystemExit(f"{what} printed no result:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return json.loads(line.removeprefix("RESULT="))


def print_result(payload: dict[str, Any]) -> None:
    """How a hidden command hands its result to the parent process."""
    print("RESULT=" + json.dumps(payload), flush=True)


# --------------------------------------------------------------------------- Casebook (dbt)


def run_dbt(paths: BenchPaths, *args: str) -> float:
    """Run one dbt command against the data set's folder; its wall time in seconds."""
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt),
        *args,
        "--profiles-dir",
        "profiles",
        "--target-path",
        str(paths.target_dir),
        "--log-path",
        str(paths.log_dir),
    ]
    print("$", " ".join(command[:1] + list(args)), flush=True)
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=subprocess_env(paths), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        tail = "\n".join(line[:300] for line in done.stdout.splitlines()[-30:])
        raise SystemExit(f"dbt {args[0]} failed (exit {done.returncode}); logs in {paths.log_dir}:\n{tail}")
    return elapsed


def model_result(paths: BenchPaths, model: str) -> dict[str, Any]:
    """A model's entry in the last run_results.json; fails unless it succeeded."""
    results = json.loads((paths.target_dir / "run_results.json").read_text())["results"]
    for result in results:
        if result["unique_id"] == f"model.casebook.{model}":
            if result["status"] != "success":
                raise SystemExit(f"{model} did not succeed: {result['status']} {result['message']}")
            return result
    raise SystemExit(f"model.casebook.{model} is missing from run_results.json")


def build_lineage(paths: BenchPaths, with_tests: bool) -> float:
    """Untimed: build everything fct_vwap_1m needs from the raw files (and test it)."""
    command = "build" if with_tests else "run"
    return run_dbt(paths, command, "--select", f"+{MODELS['vwap']}", "--full-refresh")


@dataclass
class CasebookTimings:
    """Per task: the model's execution_time and the wall time of its whole `dbt run` process."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    process_seconds: dict[str, list[float]] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)


def bench_casebook(paths: BenchPaths, repeat: int) -> CasebookTimings:
    """`dbt run --select <model> --full-refresh`, fct_trades then fct_vwap_1m, `repeat` times."""
    timings = CasebookTimings()
    for attempt in range(1, repeat + 1):
        for task, model in MODELS.items():
            wall = run_dbt(paths, "run", "--select", model, "--full-refresh")
            result = model_result(paths, model)
            timings.seconds.setdefault(task, []).append(float(result["execution_time"]))
            timings.process_seconds.setdefault(task, []).append(round(wall, 2))
            timings.relations[task] = result["relation_name"]
            print(f"  casebook {task} run {attempt}: {model} {timings.seconds[task][-1]:.2f} s", flush=True)
    return timings


def compiled_statement(paths: BenchPaths, model: str) -> Path:
    """The statement dbt last ran for `model` (create or replace table ... as select ...)."""
    matches = sorted((paths.target_dir / "run").rglob(f"{model}.sql"))
    if len(matches) != 1:
        raise SystemExit(f"Expected one compiled {model}.sql under {paths.target_dir / 'run'}: {matches}")
    return matches[0]


def export_clean_inputs(paths: BenchPaths) -> dict[str, Any]:
    """Untimed: Spark writes its staged trades and quotes to Parquet (one JVM)."""
    print("Exporting staging.stg_ticks__trades and stg_ticks__quotes to Parquet (Spark) ...", flush=True)
    result = result_line(run_self(paths, "_export-inputs", str(paths.data_dir)), "The Spark export")
    print(f"  exported in {result['seconds']:.1f} s (JVM start included)", flush=True)
    return result


def casebook_session(paths: BenchPaths, relations: dict[str, str], repeat: int) -> dict[str, list[float]]:
    """One Spark process: export fct_trades and fct_vwap_1m for the checks, then (repeat > 0) replay
    the statements dbt ran in that warm session; the timed runs per task."""
    print("Exporting Casebook's results" + (", then replaying dbt's statements warm" if repeat else ""))
    args = ["_casebook-session", str(paths.data_dir), str(repeat)]
    for task, model in MODELS.items():
        args += [task, relations[task], str(compiled_statement(paths, model))]
    result = result_line(run_self(paths, *args), "The Spark session step")
    warm: dict[str, list[float]] = {}
    for task, (warm_up, *seconds) in result["seconds"].items():
        print(f"  casebook_warm {task}: warm-up {warm_up:.2f} s, runs {[round(s, 2) for s in seconds]}")
        warm[task] = seconds
    return warm


# --------------------------------------------------------------------------- hidden Spark commands


def spark_session():
    """The Casebook SparkSession of this process, writing Parquet timestamps as UTC microseconds."""
    from casebook.engine import get_spark

    spark = get_spark()
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    return spark


def command_export_inputs(data_dir: str) -> None:
    """Write staging.stg_ticks__trades and stg_ticks__quotes (benchmark columns) to Parquet."""
    from casebook.engine import stop_spark

    paths = BenchPaths(Path(data_dir))
    start = time.perf_counter()
    spark = spark_session()
    started = time.perf_counter()
    for relation, columns, out in (
        ("staging.stg_ticks__trades", TRADE_COLUMNS, paths.clean_trades),
        ("staging.stg_ticks__quotes", QUOTE_COLUMNS, paths.clean_quotes),
    ):
        spark.table(relation).select(*columns).write.mode("overwrite").parquet(str(out))
    seconds = time.perf_counter() - start
    staging_seconds = time.perf_counter() - started
    stop_spark()
    print_result({"seconds": round(seconds, 2), "staging_and_write_seconds": round(staging_seconds, 2)})


def command_casebook_session(data_dir: str, repeat: str, *specs: str) -> None:
    """Export each (task, relation, compiled statement) result, then time the statements warm."""
    from casebook.engine import stop_spark

    paths = BenchPaths(Path(data_dir))
    spark = spark_session()
    tasks = [specs[index : index + 3] for index in range(0, len(specs), 3)]
    for task, relation, _ in tasks:
        spark.table(relation).write.mode("overwrite").parquet(str(paths.output(task, "casebook")))
    seconds: dict[str, list[float]] = {}
    if int(repeat) > 0:
        for task, _, statement_path in tasks:
            statement = Path(statement_path).read_text()
            for _ in range(int(repeat) + 1):
                start = time.perf_counter()
                spark.sql(statement).collect()
                seconds.setdefault(task, []).append(time.perf_counter() - start)
    stop_spark()
    print_result({"seconds": seconds})


# --------------------------------------------------------------------------- timing the peers


def command_peer(engine: str, task: str, data_dir: str) -> None:
    """One timed peer run in this (fresh) process; prints seconds, rows and peak memory."""
    paths = BenchPaths(Path(data_dir))
    start = time.perf_counter()
    rows = PEER_RUNS[engine, task](paths)
    seconds = time.perf_counter() - start
    print_result({"seconds": seconds, "rows": rows, "max_rss_mib": peak_rss_mib()})


def peak_rss_mib() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return 0


@dataclass
class PeerTimings:
    """Timed runs of one peer on one task; `failure` says why it could not finish, if so."""

    seconds: list[float] = field(default_factory=list)
    max_rss_mib: int = 0
    failure: str | None = None


def pandas_address_limit() -> int:
    """The address-space cap of a pandas run: the RAM free now less 3 GiB, so that running out
    raises MemoryError in pandas instead of waking the kernel's OOM killer on a shared machine."""
    return max(meminfo_kib("MemAvailable") * 1024 - 3 * 1024**3, 1024**3)


def time_peer(paths: BenchPaths, engine: str, task: str, repeat: int) -> PeerTimings:
    """`repeat` runs of one peer, each in a fresh process."""
    timings = PeerTimings()
    for attempt in range(1, repeat + 1):
        limit = pandas_address_limit() if engine == "pandas" else None
        done = run_self(paths, "_peer", engine, task, str(paths.data_dir), limit_bytes=limit)
        if done.returncode != 0 and _out_of_memory(done):
            timings.failure = f"out of memory (address space capped at {limit / 1024**3:.1f} GiB)"
            print(f"  {engine} {task} run {attempt}: {timings.failure}", flush=True)
            break
        result = result_line(done, f"{engine} {task}")
        timings.seconds.append(result["seconds"])
        timings.max_rss_mib = max(timings.max_rss_mib, result["max_rss_mib"])
        print(f"  {engine} {task} run {attempt}: {result['seconds']:.2f} s", flush=True)
    return timings


def _out_of_memory(done: subprocess.CompletedProcess) -> bool:
    signs = ("MemoryError", "std::bad_alloc", "Out of Memory", "Cannot allocate memory")
    return done.returncode == -9 or any(sign in done.stderr for sign in signs)


# --------------------------------------------------------------------------- one data set


ENGINE_NOTES = {
    "casebook": "`dbt run --full-refresh` of the model, fresh JVM (startup excluded, JIT warm-up included)",
    "casebook_warm": "the statement dbt ran, replayed in one warm Spark session",
    "duckdb": "threads=2; Parquet in, Parquet out",
    "pandas": "single-threaded; Parquet in, Parquet out",
}


def summarise(timings: dict[str, list[float]], failures: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Median seconds and ratio to DuckDB per engine, every run kept; failed engines say why."""
    base = statistics.median(timings["duckdb"])
    summary: dict[str, dict[str, Any]] = {}
    for engine, runs in timings.items():
        if not runs:
            summary[engine] = {"failure": failures.get(engine, "no run"), "notes": ENGINE_NOTES[engine]}
            continue
        median = statistics.median(runs)
        summary[engine] = {
            "median_seconds": round(median, 3),
            "runs_seconds": [round(run, 3) for run in runs],
            "ratio_vs_duckdb": round(median / base, 2),
            "notes": ENGINE_NOTES[engine],
        }
    return summary


@dataclass(frozen=True)
class Options:
    """How to run every data set."""

    seed: int
    repeat: int
    warm_repeat: int
    tests: bool


def bench_dataset(dataset: str, options: Options, trades_millions: float | None) -> dict[str, Any]:
    """Everything for one data set: generate, build, export, time, check; the result payload."""
    paths = BenchPaths(BENCH_DIR / ".data" / dataset)
    reset_dir(paths.bench_dir)  # no result of an earlier run (or version of this script) survives
    monitor = LoadMonitor().start()
    started = _now()
    monitor.mark("start")
    raw_rows = ensure_raw(paths, "ticks", dataset, options.seed)

    monitor.mark("dbt build (untimed)")
    build_seconds = build_lineage(paths, options.tests)
    export = export_clean_inputs(paths)
    clean_rows = {"trades": count_parquet(paths.clean_trades), "quotes": count_parquet(paths.clean_quotes)}
    print(f"Rows: raw {raw_rows}, clean {clean_rows}", flush=True)

    monitor.mark("casebook")
    casebook = bench_casebook(paths, options.repeat)
    monitor.mark("casebook_warm")
    warm = casebook_session(paths, casebook.relations, options.warm_repeat)

    peers: dict[str, dict[str, PeerTimings]] = {"asof": {}, "vwap": {}}
    for task in MODELS:
        for engine in PEERS:
            monitor.mark(f"{engine} {task}")
            blocked = task == "vwap" and peers["asof"][engine].failure
            peers[task][engine] = (
                PeerTimings(failure="no as-of result to aggregate")
                if blocked
                else time_peer(paths, engine, task, options.repeat)
            )
    monitor.mark("end of timed runs")
    monitor.stop()

    results: dict[str, Any] = {}
    for task, check in (("asof", check_asof), ("vwap", check_vwap)):
        finished = ["casebook", *(e for e in PEERS if not peers[task][e].failure)]
        timings = {"casebook": casebook.seconds[task]}
        if options.warm_repeat:
            timings["casebook_warm"] = warm[task]
        timings.update({engine: peers[task][engine].seconds for engine in PEERS})
        failures = {engine: peers[task][engine].failure or "" for engine in PEERS}
        results[task] = {
            "engines": summarise(timings, failures),
            "rows_out": check(paths, finished),
            "casebook_dbt_run_process_seconds": casebook.process_seconds[task],
            "peer_max_rss_mib": {engine: peers[task][engine].max_rss_mib for engine in PEERS},
        }

    return {
        "benchmark": "ticks",
        "dataset": dataset,
        "trades_millions": trades_millions,
        "started_utc": started,
        "finished_utc": _now(),
        "seed": options.seed,
        "repeat": options.repeat,
        "warm_repeat": options.warm_repeat,
        "machine": machine_info(),
        "load": monitor.summary(),
        "rows": {"raw_in": raw_rows, "clean_in": clean_rows},
        "untimed_seconds": {
            "dbt_build_wall": round(build_seconds, 1),
            "spark_export_of_clean_inputs_wall": export["seconds"],
            "spark_staging_and_export": export["staging_and_write_seconds"],
        },
        "tasks": results,
    }


# --------------------------------------------------------------------------- main


HIDDEN_COMMANDS: dict[str, Callable[..., None]] = {
    "_export-inputs": command_export_inputs,
    "_casebook-session": command_casebook_session,
    "_peer": command_peer,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--trades-millions",
        type=float,
        nargs="+",
        metavar="N",
        help="data sets of about N million trades (100 N symbols x 2 days x 5,000 trades); e.g. 1 10",
    )
    size.add_argument("--scale", help="a generator scale instead: tiny, small, medium, large")
    size.add_argument(
        "--growth",
        nargs=2,
        metavar="DATASET",
        help="only report growth from two earlier runs' results, e.g. medium trades10m",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per engine (median reported)")
    parser.add_argument(
        "--warm-repeat",
        type=int,
        help="timed warm-session replays of dbt's statements (default: --repeat; 0 skips them)",
    )
    parser.add_argument(
        "--no-tests", action="store_true", help="untimed build with `dbt run`, not `dbt build`"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.warm_repeat is None:
        args.warm_repeat = args.repeat
    if not (args.trades_millions or args.scale or args.growth):
        args.scale = "medium"
    return args


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this run."""
    size = (
        "--trades-millions " + " ".join(f"{n:g}" for n in args.trades_millions)
        if args.trades_millions
        else f"--scale {args.scale}"
    )
    flags = f" --warm-repeat {args.warm_repeat}" + (" --no-tests" if args.no_tests else "")
    return f".venv/bin/python benchmarks/ticks.py {size} --seed {args.seed} --repeat {args.repeat}{flags}"


@contextmanager
def announced(title: str) -> Iterator[None]:
    print(f"\n=== {title} ===", flush=True)
    yield


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in HIDDEN_COMMANDS:
        HIDDEN_COMMANDS[argv[0]](*argv[1:])
        return 0
    args = parse_args(argv)
    if args.growth:
        payloads = [json.loads((RESULTS_DIR / f"ticks-{name}.json").read_text()) for name in args.growth]
        report_growth(payloads, " and ".join(payload["command"] for payload in payloads))
        return 0
    options = Options(
        seed=args.seed, repeat=args.repeat, warm_repeat=args.warm_repeat, tests=not args.no_tests
    )
    sizes = [(dataset_for_trades(n), n) for n in args.trades_millions] if args.trades_millions else []
    sizes = sizes or [(args.scale, None)]
    payloads = []
    for dataset, millions in sizes:
        with announced(f"data set {dataset}"):
            payload = {"command": command_line(args), **bench_dataset(dataset, options, millions)}
        out = RESULTS_DIR / f"ticks-{dataset}.json"
        write_json(out, payload)
        print("\n" + dataset_table(payload))
        print(f"Wrote {out.relative_to(REPO_ROOT)}", flush=True)
        payloads.append(payload)
    if len(payloads) > 1:
        report_growth(payloads, command_line(args))
    return 0


def report_growth(payloads: list[dict[str, Any]], command: str) -> None:
    """Print and write how each engine's time grows from the first data set to the last."""
    summary = {"command": command, **growth(payloads)}
    out = RESULTS_DIR / f"ticks-growth-{summary['first']}-{summary['last']}.json"
    write_json(out, summary)
    print("\n" + growth_table(summary))
    print(f"Wrote {out.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
