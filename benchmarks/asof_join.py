"""As-of join benchmark: Casebook's fct_trades (dbt on Spark + Delta) against DuckDB and pandas.

Each valid trade gets the latest quote of the same symbol at or before it (a quote stamped with
the trade's own time counts; among quotes with equal times the highest seq wins).

    .venv/bin/python benchmarks/asof_join.py --scale medium [--seed 42] [--repeat 3]

Steps:
  1. Synthetic ticks are generated into benchmarks/.data/<scale>/raw (once; reused afterwards).
  2. Casebook: `dbt build --select +fct_trades` once (staging views, fct_trades, tests), then
     `dbt run --select fct_trades` --repeat times. The time is fct_trades' execution_time from
     run_results.json: Spark reading the raw Parquet through the staging views (so it includes the
     cleaning rules), the as-of join and the Delta write; not JVM startup or dbt parsing, but each
     `dbt run` is a fresh JVM, so class loading and JIT warm-up are in it. For scale, the very
     statement dbt ran is then also timed --repeat times in one warm Spark session (casebook_warm).
  3. Peers: the staging rules are applied once in DuckDB over the same raw Parquet and written to
     two clean Parquet files (untimed). Each peer is then timed reading those files, deduplicating
     quotes to the last seq per (symbol, event_ts), joining and writing the result to Parquet:
     DuckDB `ASOF LEFT JOIN` (threads=2, like Spark local[2]) and pandas.merge_asof. As a yardstick
     for Spark's extra work, DuckDB is also timed starting from the raw files (cleaning included).
  4. The results must agree on every row: same trades, and for each (symbol, event_ts, seq)
     the same matched quote_seq, bid_pr and ask_pr. The script exits non-zero otherwise.
  5. A markdown table is printed and benchmarks/results/asof_join-<scale>.json is written.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO_ROOT / "benchmarks"
FCT_TRADES_ID = "model.casebook.fct_trades"
DUCKDB_THREADS = 2
MISMATCH_EXAMPLES = 20


# --------------------------------------------------------------------------- paths and data


@dataclass(frozen=True)
class BenchPaths:
    """Every file the benchmark reads or writes for one scale."""

    data_dir: Path

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def ticks_marker(self) -> Path:
        return self.data_dir / "ticks.json"

    @property
    def target_dir(self) -> Path:
        return self.data_dir / "target"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def bench_dir(self) -> Path:
        return self.data_dir / "bench"

    @property
    def clean_trades(self) -> Path:
        return self.bench_dir / "clean_trades.parquet"

    @property
    def clean_quotes(self) -> Path:
        return self.bench_dir / "clean_quotes.parquet"

    def output(self, engine: str) -> Path:
        """Where an engine's as-of join result is written (Spark's export is a folder)."""
        suffix = "" if engine == "casebook" else ".parquet"
        return self.bench_dir / f"asof_{engine}{suffix}"


def ensure_raw_ticks(paths: BenchPaths, scale: str, seed: int) -> dict[str, int]:
    """Generate raw ticks for (scale, seed) unless the data folder already holds exactly those."""
    wanted = {"scale": scale, "seed": seed}
    if paths.ticks_marker.is_file():
        marker = json.loads(paths.ticks_marker.read_text())
        if {key: marker.get(key) for key in wanted} == wanted:
            print(f"Reusing raw ticks in {paths.raw_dir}")
            return {"trades": marker["trades"], "quotes": marker["quotes"]}
    from casebook.data.ticks import write_ticks

    print(f"Generating ticks (scale={scale}, seed={seed}) into {paths.raw_dir} ...", flush=True)
    counts = write_ticks(paths.raw_dir, scale, seed)
    paths.ticks_marker.write_text(json.dumps({**wanted, **counts}, indent=2) + "\n")
    return counts


# --------------------------------------------------------------------------- Casebook (dbt)


@dataclass(frozen=True)
class CasebookTimings:
    """fct_trades execution times and the wall time of each whole `dbt run` process."""

    seconds: list[float]
    process_seconds: list[float]
    relation: str


def casebook_env(paths: BenchPaths) -> dict[str, str]:
    """The environment for dbt and Spark subprocesses: our own data folder, never the default."""
    return {
        **os.environ,
        "CASEBOOK_DATA_DIR": str(paths.data_dir),
        "CASEBOOK_PROJECT_DIR": str(REPO_ROOT),
    }


def run_dbt(paths: BenchPaths, *args: str) -> float:
    """Run one dbt command against the benchmark's data folder; its wall time in seconds."""
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
    print("$", " ".join(command), flush=True)
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=casebook_env(paths), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        tail = "\n".join(line[:300] for line in done.stdout.splitlines()[-30:])
        raise SystemExit(f"dbt {args[0]} failed (exit {done.returncode}); logs in {paths.log_dir}:\n{tail}")
    return elapsed


def fct_trades_result(paths: BenchPaths) -> dict[str, Any]:
    """fct_trades' entry in the last run_results.json; fails unless it succeeded."""
    results = json.loads((paths.target_dir / "run_results.json").read_text())["results"]
    for result in results:
        if result["unique_id"] == FCT_TRADES_ID:
            if result["status"] != "success":
                raise SystemExit(f"fct_trades did not succeed: {result['status']} {result['message']}")
            return result
    raise SystemExit(f"{FCT_TRADES_ID} is missing from run_results.json")


def bench_casebook(paths: BenchPaths, repeat: int) -> CasebookTimings:
    """Build the ticks lineage once, then time `dbt run --select fct_trades` `repeat` times."""
    # cautious: skip tests that also need nodes outside the selection (the raw-row reconciliation
    # test reads stg_ticks__quarantined_events, which +fct_trades does not build).
    run_dbt(paths, "build", "--select", "+fct_trades", "--indirect-selection", "cautious")
    seconds: list[float] = []
    process_seconds: list[float] = []
    relation = ""
    for attempt in range(1, repeat + 1):
        process_seconds.append(run_dbt(paths, "run", "--select", "fct_trades"))
        result = fct_trades_result(paths)
        seconds.append(float(result["execution_time"]))
        relation = result["relation_name"]
        print(f"  casebook run {attempt}: fct_trades {seconds[-1]:.2f} s", flush=True)
    return CasebookTimings(seconds, process_seconds, relation)


SPARK_SESSION_SCRIPT = """
import json, sys, time
from pathlib import Path
from casebook.engine import get_spark, stop_spark

relation, out, sql_path, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
spark = get_spark()
(
    spark.table(relation)
    .selectExpr("symbol", "unix_micros(event_ts) as event_us", "seq", "quote_seq", "bid_pr", "ask_pr")
    .write.mode("overwrite")
    .parquet(out)
)
ctas = Path(sql_path).read_text()
seconds = []
for attempt in range(repeat + 1):
    start = time.perf_counter()
    spark.sql(ctas).collect()
    seconds.append(time.perf_counter() - start)
stop_spark()
print("WARM_SECONDS=" + json.dumps(seconds))
"""


def compiled_ctas_path(paths: BenchPaths) -> Path:
    """The statement dbt last ran for fct_trades (create or replace table ... as select ...)."""
    matches = sorted((paths.target_dir / "run").rglob("fct_trades.sql"))
    if len(matches) != 1:
        raise SystemExit(f"Expected one compiled fct_trades.sql under {paths.target_dir / 'run'}: {matches}")
    return matches[0]


def casebook_session_tasks(paths: BenchPaths, relation: str, repeat: int) -> list[float]:
    """In one Spark process: export fct_trades for the agreement check, then time dbt's own
    fct_trades statement in a warm JVM (one untimed warm-up, then `repeat` timed runs)."""
    print(f"Exporting {relation}, then timing its statement in one warm Spark session ...", flush=True)
    command = [
        sys.executable,
        "-c",
        SPARK_SESSION_SCRIPT,
        relation,
        str(paths.output("casebook")),
        str(compiled_ctas_path(paths)),
        str(repeat),
    ]
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=casebook_env(paths), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"The Spark session step failed:\n{done.stderr[-4000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("WARM_SECONDS="))
    warm_up, *seconds = json.loads(line.removeprefix("WARM_SECONDS="))
    print(f"  casebook_warm warm-up: {warm_up:.2f} s")
    for attempt, value in enumerate(seconds, start=1):
        print(f"  casebook_warm run {attempt}: {value:.2f} s")
    return seconds


# --------------------------------------------------------------------------- clean inputs


def duckdb_connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with as many threads as Spark's local[2] and UTC as its time zone."""
    con = duckdb.connect()
    con.execute(f"set threads = {DUCKDB_THREADS}")
    con.execute("set TimeZone = 'UTC'")
    return con


def clean_trades_sql(raw_dir: Path) -> str:
    """models/staging/ticks/base/base_ticks__trades_checked.sql's rules, keeping the valid rows."""
    return f"""
        select distinct * from (
            select
                nullif(trim(symbol), '') as symbol,
                cast(event_ts as timestamptz) as event_ts,
                cast(seq as bigint) as seq,
                cast(trade_pr as double) as trade_pr,
                cast(trade_qty as bigint) as trade_qty
            from read_parquet('{raw_dir / "ticks" / "trades" / "*.parquet"}')
        )
        where symbol is not null
            and event_ts is not null
            and trade_pr > 0
            and trade_qty > 0
    """


def clean_quotes_sql(raw_dir: Path) -> str:
    """models/staging/ticks/base/base_ticks__quotes_checked.sql's rules, keeping the valid rows."""
    return f"""
        select distinct * from (
            select
                nullif(trim(symbol), '') as symbol,
                cast(event_ts as timestamptz) as event_ts,
                cast(seq as bigint) as seq,
                cast(bid_pr as double) as bid_pr,
                cast(ask_pr as double) as ask_pr,
                cast(bid_qty as bigint) as bid_qty,
                cast(ask_qty as bigint) as ask_qty
            from read_parquet('{raw_dir / "ticks" / "quotes" / "*.parquet"}')
        )
        where symbol is not null
            and event_ts is not null
            and bid_pr > 0
            and ask_pr > 0
            and bid_qty > 0
            and ask_qty > 0
            and bid_pr <= ask_pr
    """


def export_clean_inputs(paths: BenchPaths) -> dict[str, int]:
    """Write the staged (valid, de-duplicated) trades and quotes to Parquet; their row counts."""
    paths.bench_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb_connect()
    sources = {
        paths.clean_trades: clean_trades_sql(paths.raw_dir),
        paths.clean_quotes: clean_quotes_sql(paths.raw_dir),
    }
    for target, query in sources.items():
        con.execute(f"copy ({query} order by symbol, event_ts, seq) to '{target}' (format parquet)")
    return {
        "trades": _parquet_rows(con, paths.clean_trades),
        "quotes": _parquet_rows(con, paths.clean_quotes),
    }


def _parquet_rows(con: duckdb.DuckDBPyConnection, path: Path | str) -> int:
    return int(con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0])


# --------------------------------------------------------------------------- peers


def duckdb_asof_sql(trades_sql: str, quotes_sql: str) -> str:
    """fct_trades in DuckDB: one quote per (symbol, event_ts) (highest seq), then ASOF LEFT JOIN."""
    return f"""
        with
        trades as ({trades_sql}),
        quotes as (
            select * from ({quotes_sql})
            qualify row_number() over (partition by symbol, event_ts order by seq desc) = 1
        )
        select
            t.symbol,
            t.event_ts,
            t.seq,
            cast(t.event_ts as date) as trade_date,
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
            on t.symbol = q.symbol and t.event_ts >= q.event_ts
    """


def run_duckdb_asof(trades_sql: str, quotes_sql: str, out: Path) -> None:
    """One DuckDB run: read, dedup, as-of join and write the result to Parquet."""
    con = duckdb_connect()
    try:
        con.execute(f"copy ({duckdb_asof_sql(trades_sql, quotes_sql)}) to '{out}' (format parquet)")
    finally:
        con.close()


def run_pandas_asof(paths: BenchPaths, out: Path) -> None:
    """One pandas run: read, dedup, sort, merge_asof, derive fct_trades' columns, write Parquet."""
    trades = pd.read_parquet(paths.clean_trades)
    quotes = pd.read_parquet(paths.clean_quotes)
    quotes = quotes.sort_values(["symbol", "event_ts", "seq"]).drop_duplicates(
        ["symbol", "event_ts"], keep="last"
    )
    quotes = quotes.rename(columns={"event_ts": "quote_event_ts", "seq": "quote_seq"})
    merged = pd.merge_asof(
        trades.sort_values("event_ts", kind="stable"),
        quotes.sort_values("quote_event_ts", kind="stable"),
        left_on="event_ts",
        right_on="quote_event_ts",
        by="symbol",
        direction="backward",
        allow_exact_matches=True,
    )
    merged["mid_pr"] = (merged["bid_pr"] + merged["ask_pr"]) / 2
    merged["spread_pr"] = merged["ask_pr"] - merged["bid_pr"]
    merged["quote_age_seconds"] = (merged["event_ts"] - merged["quote_event_ts"]).dt.total_seconds()
    table = pa.Table.from_pandas(merged, preserve_index=False)
    table = table.add_column(3, "trade_date", pc.cast(table["event_ts"], pa.date32()))
    pq.write_table(table, out, compression="snappy")


def time_runs(label: str, run: Callable[[], None], repeat: int) -> list[float]:
    """Wall seconds of `repeat` calls of `run`."""
    seconds: list[float] = []
    for attempt in range(1, repeat + 1):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
        print(f"  {label} run {attempt}: {seconds[-1]:.2f} s", flush=True)
    return seconds


def bench_peers(paths: BenchPaths, repeat: int) -> dict[str, list[float]]:
    """Time DuckDB (clean inputs), pandas (clean inputs) and DuckDB from the raw files."""
    clean_trades = f"select * from read_parquet('{paths.clean_trades}')"
    clean_quotes = f"select * from read_parquet('{paths.clean_quotes}')"
    return {
        "duckdb": time_runs(
            "duckdb",
            lambda: run_duckdb_asof(clean_trades, clean_quotes, paths.output("duckdb")),
            repeat,
        ),
        "pandas": time_runs("pandas", lambda: run_pandas_asof(paths, paths.output("pandas")), repeat),
        "duckdb_from_raw": time_runs(
            "duckdb_from_raw",
            lambda: run_duckdb_asof(
                clean_trades_sql(paths.raw_dir),
                clean_quotes_sql(paths.raw_dir),
                paths.output("duckdb_from_raw"),
            ),
            repeat,
        ),
    }


# --------------------------------------------------------------------------- agreement


def _keyed_sql(engine: str, source: str) -> str:
    """(symbol, event_us, seq) -> matched quote of one engine's result."""
    event_us = "event_us" if engine == "casebook" else "epoch_us(event_ts)"
    return (
        f"select symbol, {event_us} as event_us, seq, quote_seq, bid_pr, ask_pr from read_parquet('{source}')"
    )


def check_agreement(paths: BenchPaths, engines: list[str]) -> dict[str, int]:
    """Row counts per engine; exits non-zero naming rows if any two engines match differently.

    Trades are keyed by (symbol, event_ts, seq): seq restarts every trading day, so (symbol, seq)
    alone is not unique from two days up.
    """
    con = duckdb_connect()
    sources = {
        engine: (f"{paths.output(engine)}/*.parquet" if engine == "casebook" else paths.output(engine))
        for engine in engines
    }
    for engine, source in sources.items():
        con.execute(f"create table r_{engine} as {_keyed_sql(engine, str(source))}")
    rows = {engine: _table_rows(con, f"r_{engine}") for engine in engines}
    for engine in engines:
        distinct = con.execute(
            f"select count(*) from (select distinct symbol, event_us, seq from r_{engine})"
        ).fetchone()[0]
        if distinct != rows[engine]:
            raise SystemExit(f"{engine}: {rows[engine] - distinct} duplicate (symbol, event_ts, seq) keys")
    mismatches = con.execute(_mismatch_sql(engines)).fetchall()
    if mismatches:
        _report_mismatches(con, engines, len(mismatches))
    if len(set(rows.values())) != 1:
        raise SystemExit(f"Row counts differ: {rows}")
    print(f"Agreement: all {rows[engines[0]]:,} rows match on quote_seq, bid_pr, ask_pr across {engines}")
    return rows


def _table_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"select count(*) from {table}").fetchone()[0])


def _mismatch_sql(engines: list[str]) -> str:
    """Keys whose presence or matched quote differs between the first engine and any other."""
    keys = " union ".join(f"select symbol, event_us, seq from r_{engine}" for engine in engines)
    joins = "\n".join(f"left join r_{engine} as {engine} using (symbol, event_us, seq)" for engine in engines)
    first, *others = engines
    differs = " or ".join(
        f"({first}.seq is null) <> ({other}.seq is null)"
        f" or {first}.quote_seq is distinct from {other}.quote_seq"
        f" or {first}.bid_pr is distinct from {other}.bid_pr"
        f" or {first}.ask_pr is distinct from {other}.ask_pr"
        for other in others
    )
    columns = ", ".join(
        f"{engine}.seq is not null as {engine}_has, {engine}.quote_seq as {engine}_quote_seq, "
        f"{engine}.bid_pr as {engine}_bid, {engine}.ask_pr as {engine}_ask"
        for engine in engines
    )
    return f"""
        select keys.symbol, make_timestamp(keys.event_us) as event_ts, keys.seq, {columns}
        from ({keys}) as keys
        {joins}
        where {differs}
        order by keys.symbol, keys.event_us, keys.seq
    """


def _report_mismatches(con: duckdb.DuckDBPyConnection, engines: list[str], count: int) -> None:
    """Print the first mismatching rows and stop the benchmark."""
    frame = con.execute(f"{_mismatch_sql(engines)} limit {MISMATCH_EXAMPLES}").df()
    with pd.option_context("display.width", 250, "display.max_columns", None):
        print(frame.to_string(index=False))
    raise SystemExit(f"The engines disagree on {count:,} trades (first {len(frame)} shown above)")


# --------------------------------------------------------------------------- report


def machine_info() -> dict[str, Any]:
    """Cores, CPU model, RAM, load and the versions of every engine involved."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal")), 0)
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": models[0] if models else platform.processor(),
        "ram_gib": round(mem_kb / 1024**2, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "java": _java_version(),
        "versions": {
            name: version(name)
            for name in ("pyspark", "delta-spark", "dbt-core", "duckdb", "pandas", "pyarrow")
        },
    }


def _java_version() -> str:
    try:
        done = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    lines = done.stderr.strip().splitlines()
    return lines[0] if lines else "unknown"


ENGINE_NOTES = {
    "casebook": (
        "Spark local[2] via dbt: reads raw Parquet through the staging views (cleaning + dedup "
        "included), union + last(ignorenulls) window, writes a Delta table; fresh JVM per run: startup "
        "excluded, class loading and JIT warm-up included"
    ),
    "casebook_warm": (
        "the same statement dbt ran (create or replace table ... using delta as select), repeated in "
        "one Spark session after an untimed warm-up: no JVM/JIT warm-up, no dbt"
    ),
    "duckdb": "ASOF LEFT JOIN, threads=2; reads clean Parquet, writes Parquet",
    "pandas": "merge_asof incl. sort; reads clean Parquet, writes Parquet (single-threaded join)",
    "duckdb_from_raw": "as duckdb, but reads the raw Parquet and applies the staging rules itself",
}


def summarise(timings: dict[str, list[float]]) -> dict[str, dict[str, Any]]:
    """Median seconds and ratio to DuckDB per engine, with every run kept."""
    base = statistics.median(timings["duckdb"])
    return {
        engine: {
            "median_seconds": round(statistics.median(runs), 3),
            "runs_seconds": [round(run, 3) for run in runs],
            "ratio_vs_duckdb": round(statistics.median(runs) / base, 2),
            "notes": ENGINE_NOTES[engine],
        }
        for engine, runs in timings.items()
    }


def markdown_table(summary: dict[str, dict[str, Any]], repeat: int) -> str:
    """engine | seconds | ratio | notes, in the order engines were timed."""
    lines = [
        f"| engine | seconds (median of {repeat}) | ratio vs DuckDB | notes |",
        "|---|---:|---:|---|",
    ]
    for engine, row in summary.items():
        lines.append(
            f"| {engine} | {row['median_seconds']:.2f} | {row['ratio_vs_duckdb']:.2f}x | {row['notes']} |"
        )
    return "\n".join(lines)


def write_results(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium", help="tick scale: tiny, small, medium, large")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per engine (median reported)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    paths = BenchPaths(BENCH_DIR / ".data" / args.scale)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    load_before = os.getloadavg()

    raw_rows = ensure_raw_ticks(paths, args.scale, args.seed)
    clean_rows = export_clean_inputs(paths)
    print(f"Rows: raw {raw_rows}, clean {clean_rows}")

    casebook = bench_casebook(paths, args.repeat)
    casebook_warm = casebook_session_tasks(paths, casebook.relation, args.repeat)
    peers = bench_peers(paths, args.repeat)
    rows_out = check_agreement(paths, ["casebook", "duckdb", "pandas", "duckdb_from_raw"])

    summary = summarise({"casebook": casebook.seconds, "casebook_warm": casebook_warm, **peers})
    table = markdown_table(summary, args.repeat)
    payload = {
        "benchmark": "asof_join",
        "command": f".venv/bin/python benchmarks/asof_join.py --scale {args.scale} "
        f"--seed {args.seed} --repeat {args.repeat}",
        "started_utc": started.isoformat(timespec="seconds"),
        "scale": args.scale,
        "seed": args.seed,
        "repeat": args.repeat,
        "machine": {**machine_info(), "loadavg_before": load_before, "loadavg_after": os.getloadavg()},
        "rows": {"raw_in": raw_rows, "clean_in": clean_rows, "out": rows_out},
        "engines": summary,
        "casebook_dbt_run_process_seconds": [round(s, 2) for s in casebook.process_seconds],
    }
    out = BENCH_DIR / "results" / f"asof_join-{args.scale}.json"
    write_results(out, payload)
    print()
    print(table)
    print(f"\nWrote {out.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
