"""Where a data test's query spends its time: Spark's phases and slowest rules, first pass and second.

    .venv/bin/python benchmarks/data_test_phases.py [--queries 60] [--passes 2]

Reads the compiled SQL of the data tests of the last `dbt build` (target/compiled: the generic tests
under each models YAML, then the singular tests) and runs them, one after another, in a fresh
SparkSession on the project's warehouse (CASEBOOK_DATA_DIR, default data/). The first pass is what a
build's tests pay (each table's first query in a JVM); later passes repeat the same queries in the
same JVM. For each pass it prints the summed wall time, the median, and the phases (parsing,
analysis, optimization, planning) and rules that took longest, from `QueryExecution.tracker()`.
Needs the warehouse's metastore to itself: run it when no dbt process is using it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path

from casebook.engine import get_spark

REPO = Path(__file__).resolve().parents[1]
COMPILED = REPO / "target" / "compiled" / "casebook"


def compiled_data_tests(limit: int) -> list[Path]:
    generic = sorted(COMPILED.glob("models/**/*.yml/*.sql"))
    singular = sorted(COMPILED.glob("tests/**/*.sql"))
    return (generic + singular)[:limit]


def _scala_map(java_map: object) -> dict[str, object]:
    """A Scala Map from py4j as a dict (its get() returns an Option)."""
    keys = java_map.keySet().iterator()  # type: ignore[attr-defined]
    result = {}
    while keys.hasNext():
        key = keys.next()
        result[key] = java_map.get(key).get()  # type: ignore[attr-defined]
    return result


def run_pass(spark: object, files: list[Path]) -> tuple[list[float], Counter[str]]:
    """Each query's wall seconds, and the seconds per phase and per rule summed over the queries."""
    walls: list[float] = []
    spent: Counter[str] = Counter()
    for path in files:
        started = time.perf_counter()
        frame = spark.sql(path.read_text())  # type: ignore[attr-defined]
        frame.collect()
        walls.append(time.perf_counter() - started)
        tracker = frame._jdf.queryExecution().tracker()
        for phase, summary in _scala_map(tracker.phases()).items():
            spent[f"phase {phase}"] += summary.durationMs() / 1000  # type: ignore[attr-defined]
        for rule, summary in _scala_map(tracker.rules()).items():
            spent[f"rule {rule.split('.')[-1]}"] += summary.totalTimeNs() / 1e9  # type: ignore[attr-defined]
    return walls, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    files = compiled_data_tests(args.queries)
    if not files:
        raise SystemExit(f"no compiled data tests under {COMPILED}: run `dbt build` (or `dbt compile`) first")
    spark = get_spark()
    for number in range(1, args.passes + 1):
        walls, spent = run_pass(spark, files)
        median = statistics.median(walls)
        print(f"pass {number}: {len(files)} queries, {sum(walls):.1f} s, median {median:.2f} s")
        for name, seconds in spent.most_common(args.top):
            print(f"  {name:60s} {seconds:7.2f} s")


if __name__ == "__main__":
    main()
