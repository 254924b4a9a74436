"""The tick benchmark's peers (DuckDB and pandas doing fct_trades' and fct_vwap_1m's work) and the
check that every engine gives the same rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from ticks_data import (
    CHECK_MEMORY_LIMIT,
    DUCKDB_THREADS,
    EXCHANGE_TZ,
    MISMATCH_EXAMPLES,
    QUOTE_COLUMNS,
    SESSION_CLOSE,
    SESSION_OPEN,
    TRADE_COLUMNS,
    VWAP_RELATIVE_TOLERANCE,
    BenchPaths,
)

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
