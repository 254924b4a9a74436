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
  2. Untimed: `dbt build --select +fct_vwap_1m --full-refresh` (staging views, fct_trades, the
     int view, fct_vwap_1m and their tests; `dbt run`, no tests, with --no-tests: at 10M trades
     the tests re-read the staging views some 20 times), then one Spark process exports Spark's own clean
     inputs, staging.stg_ticks__trades and staging.stg_ticks__quotes, to Parquet. The peers read
     exactly these rows: they do not re-implement the staging rules.
  3. Casebook, --repeat times: `dbt run --select fct_trades --full-refresh` and
     `dbt run --select fct_vwap_1m --full-refresh`. The time is the model's execution_time from
     run_results.json: for fct_trades, Spark reading the raw Parquet through the staging views (so
     the cleaning rules run inside the timed query), the as-of join and the Delta write; for
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
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import yaml

from _common import (
    BENCH_DIR,
    REPO_ROOT,
    RESULTS_DIR,
    BenchDataDir,
    load_average,
    machine_info,
    meminfo_kib,
    write_json,
)

MODELS = {"asof": "fct_trades", "vwap": "fct_vwap_1m"}
TASK_TITLES = {"asof": "As-of join (fct_trades)", "vwap": "One-minute VWAP (fct_vwap_1m)"}
PEERS = ("duckdb", "pandas")
DUCKDB_THREADS = 2
CHECK_MEMORY_LIMIT = "6GB"
VWAP_RELATIVE_TOLERANCE = 1e-9
MISMATCH_EXAMPLES = 10
LOAD_SAMPLE_SECONDS = 15.0
# A custom data set: 100 symbols per million trades, 2 days of 5,000 trades per symbol-day.
SYMBOLS_PER_MILLION, DAYS, TRADES_PER_SYMBOL_DAY, QUOTES_PER_TRADE = 100, 2, 5_000, 3.0
TRADE_COLUMNS = ["symbol", "event_ts", "seq", "trade_date", "trade_pr", "trade_qty"]
QUOTE_COLUMNS = ["symbol", "event_ts", "seq", "trade_date", "bid_pr", "ask_pr", "bid_qty", "ask_qty"]


def project_vars() -> dict[str, Any]:
    """dbt_project.yml's vars: the exchange time zone and session bounds the models use."""
    return yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]


VARS = project_vars()
EXCHANGE_TZ: str = VARS["ticks_exchange_timezone"]
SESSION_OPEN: str = VARS["ticks_market_open"]
SESSION_CLOSE: str = VARS["ticks_market_close"]


# --------------------------------------------------------------------------- paths and data


class BenchPaths(BenchDataDir):
    """Every file the benchmark reads or writes for one data set."""

    @property
    def bench_dir(self) -> Path:
        return self.data_dir / "bench"

    @property
    def clean_trades(self) -> Path:
        """Spark's staging.stg_ticks__trades as a Parquet folder."""
        return self.bench_dir / "clean_trades"

    @property
    def clean_quotes(self) -> Path:
        """Spark's staging.stg_ticks__quotes as a Parquet folder."""
        return self.bench_dir / "clean_quotes"

    def output(self, task: str, engine: str) -> Path:
        """An engine's result of `task` (asof or vwap); Casebook's export is a folder."""
        suffix = "" if engine == "casebook" else ".parquet"
        return self.bench_dir / f"{task}_{engine}{suffix}"

    def parquet_glob(self, task: str, engine: str) -> str:
        """What DuckDB reads for an engine's result of `task`."""
        path = self.output(task, engine)
        return f"{path}/*.parquet" if engine == "casebook" else str(path)


def dataset_for_trades(millions: float) -> str:
    """The generator scale holding about `millions` million trades, registered if new.

    The scale is 100 symbols per million trades over 2 days at 5,000 trades per symbol-day, so
    1 million is exactly the generator's `medium` and larger sizes only add symbols.
    """
    from casebook.data.ticks import SCALES, TickScale

    scale = TickScale(
        symbols=round(SYMBOLS_PER_MILLION * millions),
        days=DAYS,
        trades_per_symbol_day=TRADES_PER_SYMBOL_DAY,
        quotes_per_trade=QUOTES_PER_TRADE,
    )
    for name, known in SCALES.items():
        if known == scale:
            return name
    name = f"trades{millions:g}m"
    SCALES[name] = scale  # this process only: write_ticks looks scales up by name
    return name


def ensure_raw_ticks(paths: BenchPaths, scale: str, seed: int) -> dict[str, int]:
    """Generate raw ticks for (scale, seed) unless the data folder already holds exactly those."""
    from casebook.data.ticks import get_scale, write_ticks

    wanted = {"scale": scale, "seed": seed, "tick_scale": asdict(get_scale(scale))}
    halts_dir = paths.raw_dir / "ticks" / "halts"
    if paths.marker("ticks").is_file() and halts_dir.is_dir():
        marker = json.loads(paths.marker("ticks").read_text())
        if {key: marker.get(key) for key in wanted} == wanted and "halts" in marker:
            print(f"Reusing raw ticks in {paths.raw_dir}")
            return {key: marker[key] for key in ("trades", "quotes", "halts")}
    print(f"Generating ticks (scale={scale}, seed={seed}) into {paths.raw_dir} ...", flush=True)
    start = time.perf_counter()
    counts = write_ticks(paths.raw_dir, scale, seed)
    print(f"  generated {counts} in {time.perf_counter() - start:.0f} s", flush=True)
    paths.marker("ticks").write_text(json.dumps({**wanted, **counts}, indent=2) + "\n")
    return counts


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


# --------------------------------------------------------------------------- peers


def duckdb_connect(memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with as many threads as Spark's local[2] and UTC as its time zone."""
    con = duckdb.connect()
    con.execute(f"set threads = {DUCKDB_THREADS}")
    con.execute("set TimeZone = 'UTC'")
    if memory_limit:
        con.execute(f"set memory_limit = '{memory_limit}'")
    return con


def duckdb_asof_sql(paths: BenchPaths) -> str:
    """fct_trades in DuckDB: one quote per (symbol, event_ts) (highest seq), ASOF LEFT JOIN by
    (symbol, trade_date)."""
    return f"""
        with
        trades as (select * from read_parquet('{paths.clean_trades}/*.parquet')),
        quotes as (
            select * from read_parquet('{paths.clean_quotes}/*.parquet')
            qualify row_number() over (partition by symbol, event_ts order by seq desc) = 1
        )
        select
            t.symbol,
            t.event_ts,
            t.seq,
            t.trade_date,
            t.trade_pr,
            t.trade_qty,
            q.event_ts as quote_event_ts,
            q.seq as quote_seq,
            q.bid_pr,
            q.ask_pr,
            q.bid_qty,
            q.ask_qty,
            (q.bid_pr + q.ask_pr) / 2 as mid_pr,
            q.ask_pr - q.bid_pr as spread_pr,
            (epoch_us(t.event_ts) - epoch_us(q.event_ts)) / 1e6 as quote_age_seconds
        from trades as t
        asof left join quotes as q
            on t.symbol = q.symbol and t.trade_date = q.trade_date and t.event_ts >= q.event_ts
    """


def duckdb_vwap_sql(source: str) -> str:
    """fct_vwap_1m in DuckDB over an as-of result: regular-session trades, one-minute bars."""
    return f"""
        with
        trades as (
            select symbol, event_ts, seq, trade_pr, trade_qty,
                timezone('{EXCHANGE_TZ}', event_ts) as event_exchange_ts
            from read_parquet('{source}')
        ),
        session as (
            select * from trades
            where cast(event_exchange_ts as time) >= time '{SESSION_OPEN}'
                and cast(event_exchange_ts as time) < time '{SESSION_CLOSE}'
        ),
        bars as (
            select
                symbol,
                date_trunc('minute', event_exchange_ts) as bucket_start_exchange_ts,
                count(*) as trade_count,
                sum(trade_qty) as volume_qty,
                sum(trade_pr * trade_qty) as notional_usd,
                arg_min(trade_pr, (event_ts, seq)) as open_pr,
                max(trade_pr) as high_pr,
                min(trade_pr) as low_pr,
                arg_max(trade_pr, (event_ts, seq)) as close_pr
            from session
            group by symbol, bucket_start_exchange_ts
        )
        select
            symbol,
            bucket_start_exchange_ts,
            timezone('{EXCHANGE_TZ}', bucket_start_exchange_ts) as bucket_start_ts,
            trade_count,
            volume_qty,
            notional_usd,
            notional_usd / volume_qty as vwap_pr,
            open_pr,
            high_pr,
            low_pr,
            close_pr,
            close_pr > notional_usd / volume_qty as is_close_above_vwap,
            close_pr < notional_usd / volume_qty as is_close_below_vwap
        from bars
    """


def duckdb_copy(query: str, out: Path) -> int:
    """Run `query` in a fresh DuckDB, write it to Parquet at `out`; the row count."""
    con = duckdb_connect()
    try:
        return int(con.execute(f"copy ({query}) to '{out}' (format parquet)").fetchone()[0])
    finally:
        con.close()


def duckdb_asof(paths: BenchPaths) -> int:
    return duckdb_copy(duckdb_asof_sql(paths), paths.output("asof", "duckdb"))


def duckdb_vwap(paths: BenchPaths) -> int:
    return duckdb_copy(duckdb_vwap_sql(paths.parquet_glob("asof", "duckdb")), paths.output("vwap", "duckdb"))


def pandas_asof(paths: BenchPaths) -> int:
    """fct_trades in pandas: read, keep the highest seq per (symbol, event_ts), sort, merge_asof by
    (symbol, trade_date), derive fct_trades' columns, write Parquet."""
    trades = pd.read_parquet(paths.clean_trades, columns=TRADE_COLUMNS)
    quotes = pd.read_parquet(paths.clean_quotes, columns=QUOTE_COLUMNS)
    quotes = quotes.sort_values(["event_ts", "seq"], kind="stable").drop_duplicates(
        ["symbol", "event_ts"], keep="last"
    )
    quotes = quotes.rename(columns={"event_ts": "quote_event_ts", "seq": "quote_seq"})
    merged = pd.merge_asof(
        trades.sort_values("event_ts", kind="stable"),
        quotes,
        left_on="event_ts",
        right_on="quote_event_ts",
        by=["symbol", "trade_date"],
        direction="backward",
        allow_exact_matches=True,
    )
    merged["mid_pr"] = (merged["bid_pr"] + merged["ask_pr"]) / 2
    merged["spread_pr"] = merged["ask_pr"] - merged["bid_pr"]
    merged["quote_age_seconds"] = (merged["event_ts"] - merged["quote_event_ts"]).dt.total_seconds()
    merged.to_parquet(paths.output("asof", "pandas"), index=False)
    return len(merged)


def pandas_vwap(paths: BenchPaths) -> int:
    """fct_vwap_1m in pandas over pandas' as-of result: regular session, one-minute bars."""
    trades = pd.read_parquet(
        paths.output("asof", "pandas"), columns=["symbol", "event_ts", "seq", "trade_pr", "trade_qty"]
    )
    local = trades["event_ts"].dt.tz_convert(EXCHANGE_TZ).dt.tz_localize(None)
    time_of_day = local - local.dt.normalize()
    in_session = (time_of_day >= pd.Timedelta(SESSION_OPEN)) & (time_of_day < pd.Timedelta(SESSION_CLOSE))
    trades = trades[in_session].assign(bucket_start_exchange_ts=local[in_session].dt.floor("min"))
    trades["notional_usd"] = trades["trade_pr"] * trades["trade_qty"]
    trades = trades.sort_values(["event_ts", "seq"], kind="stable")  # open and close: first and last
    bars = (
        trades.groupby(["symbol", "bucket_start_exchange_ts"], sort=False)
        .agg(
            trade_count=("trade_pr", "size"),
            volume_qty=("trade_qty", "sum"),
            notional_usd=("notional_usd", "sum"),
            open_pr=("trade_pr", "first"),
            high_pr=("trade_pr", "max"),
            low_pr=("trade_pr", "min"),
            close_pr=("trade_pr", "last"),
        )
        .reset_index()
    )
    exchange_start = bars["bucket_start_exchange_ts"].dt.tz_localize(EXCHANGE_TZ)
    bars["bucket_start_ts"] = exchange_start.dt.tz_convert("UTC")
    bars["vwap_pr"] = bars["notional_usd"] / bars["volume_qty"]
    bars["is_close_above_vwap"] = bars["close_pr"] > bars["vwap_pr"]
    bars["is_close_below_vwap"] = bars["close_pr"] < bars["vwap_pr"]
    bars.to_parquet(paths.output("vwap", "pandas"), index=False)
    return len(bars)


PEER_RUNS: dict[tuple[str, str], Callable[[BenchPaths], int]] = {
    ("duckdb", "asof"): duckdb_asof,
    ("pandas", "asof"): pandas_asof,
    ("duckdb", "vwap"): duckdb_vwap,
    ("pandas", "vwap"): pandas_vwap,
}


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


# --------------------------------------------------------------------------- agreement


def check_asof(paths: BenchPaths, engines: list[str]) -> dict[str, int]:
    """As-of results: same (symbol, event_ts, seq) keys and the same matched quote everywhere."""
    return check_agreement(
        paths,
        task="asof",
        engines=engines,
        keys=["symbol", "event_us", "seq"],
        select="symbol, epoch_us(event_ts) as event_us, seq, quote_seq, bid_pr, ask_pr",
        exact=["quote_seq", "bid_pr", "ask_pr"],
        relative=[],
    )


def check_vwap(paths: BenchPaths, engines: list[str]) -> dict[str, int]:
    """VWAP bars: same (symbol, minute) keys, equal counts and prices, sums to 1e-9 relative."""
    return check_agreement(
        paths,
        task="vwap",
        engines=engines,
        keys=["symbol", "bucket_us"],
        select=(
            "symbol, epoch_us(bucket_start_exchange_ts) as bucket_us, epoch_us(bucket_start_ts) as utc_us, "
            "trade_count, volume_qty, open_pr, high_pr, low_pr, close_pr, notional_usd, vwap_pr"
        ),
        exact=["utc_us", "trade_count", "volume_qty", "open_pr", "high_pr", "low_pr", "close_pr"],
        relative=["notional_usd", "vwap_pr"],
    )


def check_agreement(
    paths: BenchPaths,
    *,
    task: str,
    engines: list[str],
    keys: list[str],
    select: str,
    exact: list[str],
    relative: list[str],
) -> dict[str, int]:
    """Row counts per engine; exits non-zero showing rows if any engine differs from the first."""
    con = duckdb_connect(CHECK_MEMORY_LIMIT)
    con.execute(f"set temp_directory = '{paths.bench_dir / 'duckdb_tmp'}'")
    for engine in engines:
        source = paths.parquet_glob(task, engine)
        con.execute(f"create table {engine} as select {select} from read_parquet('{source}')")
    rows = {engine: _count(con, f"select count(*) from {engine}") for engine in engines}
    key_list = ", ".join(keys)
    for engine in engines:
        distinct = _count(con, f"select count(*) from (select distinct {key_list} from {engine})")
        if distinct != rows[engine]:
            raise SystemExit(f"{task} {engine}: {rows[engine] - distinct} duplicate ({key_list}) keys")
    query = _mismatch_sql(engines, keys, exact, relative)
    mismatches = _count(con, f"select count(*) from ({query})")
    if mismatches:
        frame = con.execute(f"{query} limit {MISMATCH_EXAMPLES}").df()
        with pd.option_context("display.width", 250, "display.max_columns", None):
            print(frame.to_string(index=False))
        raise SystemExit(f"{task}: the engines disagree on {mismatches:,} rows (first ones shown above)")
    if len(set(rows.values())) != 1:
        raise SystemExit(f"{task}: row counts differ: {rows}")
    print(f"Agreement ({task}): all {rows[engines[0]]:,} rows match across {engines}", flush=True)
    return rows


def _count(con: duckdb.DuckDBPyConnection, query: str) -> int:
    return int(con.execute(query).fetchone()[0])


def _mismatch_sql(engines: list[str], keys: list[str], exact: list[str], relative: list[str]) -> str:
    """Keys missing from an engine, or whose values differ from the first engine's."""
    key_list = ", ".join(keys)
    union = " union ".join(f"select {key_list} from {engine}" for engine in engines)
    joins = "\n".join(
        f"left join (select *, true as present from {engine}) as {engine} using ({key_list})"
        for engine in engines
    )
    first, *others = engines
    conditions = []
    for other in others:
        conditions.append(f"{first}.present is distinct from {other}.present")
        conditions += [f"{first}.{column} is distinct from {other}.{column}" for column in exact]
        conditions += [
            f"abs({first}.{column} - {other}.{column}) > {VWAP_RELATIVE_TOLERANCE} * abs({first}.{column})"
            for column in relative
        ]
    shown = ", ".join(
        f"{engine}.{column} as {engine}_{column}" for engine in engines for column in exact + relative
    )
    return f"""
        select all_keys.*, {shown}
        from ({union}) as all_keys
        {joins}
        where {" or ".join(conditions)}
        order by {", ".join(f"all_keys.{key}" for key in keys)}
    """


def count_parquet(path: Path) -> int:
    """Rows of a Parquet folder."""
    con = duckdb_connect()
    return _count(con, f"select count(*) from read_parquet('{path}/*.parquet')")


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
    raw_rows = ensure_raw_ticks(paths, dataset, options.seed)

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


# --------------------------------------------------------------------------- report


def dataset_table(payload: dict[str, Any]) -> str:
    """engine | seconds | ratio | notes per task, for one data set."""
    lines: list[str] = []
    for task, result in payload["tasks"].items():
        lines += [
            f"**{TASK_TITLES[task]}**, {payload['dataset']} (median of {payload['repeat']})",
            "",
            "| engine | seconds | ratio vs DuckDB | runs (s) | notes |",
            "|---|---:|---:|---|---|",
        ]
        for engine, row in result["engines"].items():
            if "failure" in row:
                lines.append(f"| {engine} | — | — | — | {row['failure']} |")
                continue
            runs = ", ".join(f"{run:.2f}" for run in row["runs_seconds"])
            lines.append(
                f"| {engine} | {row['median_seconds']:.2f} | {row['ratio_vs_duckdb']:.2f}x | {runs} "
                f"| {row['notes']} |"
            )
        lines.append("")
    return "\n".join(lines)


def growth(payloads: list[dict[str, Any]]) -> dict[str, Any]:
    """Per task and engine: seconds and ratio at the first and last size, and last / first."""
    first, last = payloads[0], payloads[-1]
    table: dict[str, Any] = {}
    for task in MODELS:
        rows: dict[str, Any] = {}
        for engine, small in first["tasks"][task]["engines"].items():
            large = last["tasks"][task]["engines"].get(engine, {})
            row = {
                "first": small.get("median_seconds"),
                "first_ratio": small.get("ratio_vs_duckdb"),
                "last": large.get("median_seconds"),
                "last_ratio": large.get("ratio_vs_duckdb"),
                "failure": large.get("failure") or small.get("failure"),
            }
            if row["first"] and row["last"]:
                row["growth"] = round(row["last"] / row["first"], 2)
            rows[engine] = row
        table[task] = rows
    return {
        "first": first["dataset"],
        "last": last["dataset"],
        "trades": [first["rows"]["clean_in"]["trades"], last["rows"]["clean_in"]["trades"]],
        "tasks": table,
    }


def growth_table(summary: dict[str, Any]) -> str:
    """engine | s first | ratio | s last | ratio | growth, per task."""
    first, last = summary["first"], summary["last"]
    lines: list[str] = []
    for task, rows in summary["tasks"].items():
        lines += [
            f"**{TASK_TITLES[task]}**",
            "",
            f"| engine | s {first} | x DuckDB | s {last} | x DuckDB | growth {last}/{first} |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for engine, row in rows.items():
            cells = [
                _cell(row["first"], "{:.2f}"),
                _cell(row["first_ratio"], "{:.1f}x"),
                _cell(row["last"], "{:.2f}"),
                _cell(row["last_ratio"], "{:.1f}x"),
                _cell(row.get("growth"), "{:.1f}x"),
            ]
            note = f" ({row['failure']})" if row["failure"] else ""
            lines.append(f"| {engine}{note} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _cell(value: float | None, template: str) -> str:
    return "—" if value is None else template.format(value)


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
